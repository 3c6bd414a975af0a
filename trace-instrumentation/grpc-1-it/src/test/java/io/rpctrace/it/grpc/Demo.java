package io.rpctrace.it.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.grpc.StringMethods;
import java.util.function.Function;

/** A gRPC service without protoc: String messages, hand-written method descriptors. */
final class Demo {
    static final MethodDescriptor<String, String> SAY = StringMethods.unary("demo.Echo/Say");
    static final MethodDescriptor<String, String> COUNT =
            StringMethods.method("demo.Echo/Count", MethodDescriptor.MethodType.SERVER_STREAMING);
    static final MethodDescriptor<String, String> SUM =
            StringMethods.method("demo.Echo/Sum", MethodDescriptor.MethodType.CLIENT_STREAMING);
    static final MethodDescriptor<String, String> CHAT =
            StringMethods.method("demo.Echo/Chat", MethodDescriptor.MethodType.BIDI_STREAMING);

    private Demo() {
    }

    /**
     * {@code Say}: "fail" → NOT_FOUND, "slow" → answers after 1 s, anything else → makes one
     * local call ({@code h2.request}, manual) and answers with the ids it ran under, after
     * {@code downstream} (may be null) has been called with the request.
     * {@code Count}: streams three messages carrying the current id.
     * {@code Sum} (client streaming): answers once, at the end, with the trace id and current
     * id seen by each message received, joined by {@code |}.
     * {@code Chat} (bidi streaming): answers each message with the trace id and current id it
     * was received in.
     */
    static ServerServiceDefinition echo(Function<String, String> downstream) {
        return ServerServiceDefinition.builder("demo.Echo")
                .addMethod(SAY, ServerCalls.asyncUnaryCall((req, out) -> {
                    if (req.equals("fail")) {
                        out.onError(Status.NOT_FOUND.withDescription("no such order").asRuntimeException());
                        return;
                    }
                    if (req.equals("slow")) {
                        sleep(1000);
                    }
                    String mine = Trace.traceId() + " " + Trace.rpcId();   // before any call moves the counter
                    String below = downstream == null ? "" : " " + downstream.apply(req);
                    try (Span db = Trace.call("h2.request").action("select 1")) {
                        out.onNext(mine + below);
                    }
                    out.onCompleted();
                }))
                .addMethod(COUNT, ServerCalls.asyncServerStreamingCall((req, out) -> {
                    String served = Trace.rpcId();   // sending may hand tasks to gRPC's executors: rule 4 moves the counter
                    for (int i = 0; i < 3; i++) {
                        out.onNext(served);
                    }
                    out.onCompleted();
                }))
                .addMethod(SUM, ServerCalls.asyncClientStreamingCall(out -> new StreamObserver<String>() {
                    private final StringBuilder seen = new StringBuilder();

                    @Override
                    public void onNext(String value) {
                        seen.append(seen.length() == 0 ? "" : "|").append(Trace.traceId()).append(' ').append(Trace.rpcId());
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        out.onNext(seen.toString());
                        out.onCompleted();
                    }
                }))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(out -> new StreamObserver<String>() {
                    @Override
                    public void onNext(String value) {
                        out.onNext(Trace.traceId() + " " + Trace.rpcId());
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        out.onCompleted();
                    }
                }))
                .build();
    }

    static String say(Channel channel, String msg) {
        return ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT, msg);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
