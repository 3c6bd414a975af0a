package io.rpctrace.testing.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * gRPC methods whose messages are plain UTF-8 strings, described by hand: a test, a benchmark
 * or the demo gets a real gRPC service without protoc or generated stubs.
 *
 * <pre>{@code
 * MethodDescriptor<String, String> say = StringMethods.unary("demo.Echo/Say");
 * Server server = InProcessServerBuilder.forName("demo")
 *         .addService(StringMethods.service(say, (req, out) -> { out.onNext(req); out.onCompleted(); }))
 *         .build().start();
 * String answer = ClientCalls.blockingUnaryCall(channel, say, CallOptions.DEFAULT, "hello");
 * }</pre>
 *
 * <p>The gRPC jars are not dependencies of this artifact ({@code provided} here): a user adds
 * {@code io.grpc:grpc-stub} and a transport.
 */
public final class StringMethods {
    /** A message is the UTF-8 bytes of a string. */
    public static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
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

    private StringMethods() {
    }

    /** A method of {@code type} named {@code fullMethodName} ({@code service/method}). */
    public static MethodDescriptor<String, String> method(String fullMethodName, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type).setFullMethodName(fullMethodName)
                .setRequestMarshaller(UTF8).setResponseMarshaller(UTF8).build();
    }

    /** A unary method named {@code fullMethodName} ({@code service/method}). */
    public static MethodDescriptor<String, String> unary(String fullMethodName) {
        return method(fullMethodName, MethodDescriptor.MethodType.UNARY);
    }

    /** The service of {@code method} (named after its service part) with {@code handler} as its only method. */
    public static ServerServiceDefinition service(MethodDescriptor<String, String> method,
            ServerCalls.UnaryMethod<String, String> handler) {
        return ServerServiceDefinition.builder(method.getServiceName())
                .addMethod(method, ServerCalls.asyncUnaryCall(handler)).build();
    }
}
