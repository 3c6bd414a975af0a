package io.rpctrace.it.metrics;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.rpctrace.testing.grpc.StringMethods;
import java.net.InetSocketAddress;
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

    private static final MethodDescriptor<String, String> ECHO = StringMethods.unary("metrics.Sizes/Echo");

    public static void main(String[] args) throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(StringMethods.service(ECHO, (req, rsp) -> {
                    if (req.equals("bad")) {
                        rsp.onError(Status.INVALID_ARGUMENT.withDescription("bad input").asRuntimeException());
                    } else if (req.equals("bug")) {
                        rsp.onError(Status.INTERNAL.withDescription("a bug").asRuntimeException());
                    } else {
                        rsp.onNext("y".repeat(RESPONSE_BYTES));
                        rsp.onCompleted();
                    }
                }))
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
