package io.rpctrace.it.metrics;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC server (Netty, loopback) in a JVM with the agent: {@value #OK} unary calls whose
 * request is {@value #REQUEST_BYTES} bytes and whose response is {@value #RESPONSE_BYTES}, then
 * one rejected with INVALID_ARGUMENT (a bad request) and one failing with INTERNAL (an error),
 * each of those with a 3-byte request. The agent adds the interceptor and the wire sizes.
 */
public final class GrpcScenario {
    static final int OK = 3;
    static final int REQUEST_BYTES = 1234;
    static final int RESPONSE_BYTES = 321;

    private static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    private static final MethodDescriptor<String, String> ECHO = MethodDescriptor.<String, String>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY).setFullMethodName("metrics.Sizes/Echo")
            .setRequestMarshaller(UTF8).setResponseMarshaller(UTF8).build();

    public static void main(String[] args) throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(ServerServiceDefinition.builder("metrics.Sizes")
                        .addMethod(ECHO, ServerCalls.asyncUnaryCall((req, rsp) -> {
                            if (req.equals("bad")) {
                                rsp.onError(Status.INVALID_ARGUMENT.withDescription("bad input").asRuntimeException());
                            } else if (req.equals("bug")) {
                                rsp.onError(Status.INTERNAL.withDescription("a bug").asRuntimeException());
                            } else {
                                rsp.onNext("y".repeat(RESPONSE_BYTES));
                                rsp.onCompleted();
                            }
                        })).build())
                .build().start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
        try {
            for (int i = 0; i < OK; i++) {
                String r = ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, "x".repeat(REQUEST_BYTES));
                if (r.length() != RESPONSE_BYTES) {
                    throw new AssertionError(r.length());
                }
            }
            for (String failing : new String[] {"bad", "bug"}) {
                try {
                    ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, failing);
                    throw new AssertionError("expected a failure for " + failing);
                } catch (StatusRuntimeException expected) {
                    // INVALID_ARGUMENT, INTERNAL
                }
            }
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
