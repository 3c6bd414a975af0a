package io.rpctrace.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.rpctrace.Span;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.CallDepth;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.record.RecordNames;

/**
 * Client side of docs/model.md#rule-2 for gRPC: each call writes one {@code grpc.request} record
 * ({@code x_action} the full method name, {@code x_host} the channel's authority,
 * {@code x_code} the status code name, {@code x_response_len} the response messages) and
 * sends {@code x-trace-id}, {@code x-rpc-id} (+ debug, {@code traceparent}) in its metadata.
 * A call that ends with a status other than {@code OK} is written as {@code grpc.request.error}.
 *
 * <p>The response callbacks ({@code ClientCall.Listener} {@code onHeaders}, {@code onMessage},
 * {@code onClose}, {@code onReady}, and so the {@code StreamObserver} of an async stub and the
 * completion of a future stub's {@code ListenableFuture}) run in the scope that was current
 * when the call started, on whatever thread gRPC runs them: work they do (a JDBC query, an
 * HTTP call) gets the caller's next ids, as if the caller had done it. The scope is put back
 * after each callback, so it never stays on gRPC's executor thread.
 *
 * <pre>{@code
 * ManagedChannel channel = ManagedChannelBuilder.forTarget("orders:50051")
 *         .intercept(new TracingClientInterceptor())
 *         .build();
 * }</pre>
 *
 * <p>With the agent attached, every channel the application builds gets this interceptor by
 * itself; one that the application adds as well is recognised and does nothing, so a call
 * is never written twice.
 */
public final class TracingClientInterceptor implements ClientInterceptor {
    /**
     * Depth of {@code interceptCall} on this thread: an instance further down the chain (the
     * agent's and the application's both) sees it above 0 and leaves the call to the outer one.
     *
     * <p>Design note: the interceptors of a channel run nested, on the caller's thread, inside
     * {@code next.newCall}. A depth counter marks the call without the copy of its
     * {@code CallOptions} (and of their custom options array) that {@code withOption} makes
     * per call, about 160 bytes.
     */
    private static final CallDepth NESTED = CallDepth.of(TracingClientInterceptor.class);

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        if (NESTED.enter() > 0) {
            try {
                return next.newCall(method, options);
            } finally {
                NESTED.exit();
            }
        }
        ClientCall<Q, R> call;
        try {
            call = next.newCall(method, options);
        } finally {
            NESTED.exit();
        }
        return new TracedCall<>(call, method.getFullMethodName(), next.authority());
    }

    static final class TracedCall<Q, R> extends ForwardingClientCall.SimpleForwardingClientCall<Q, R> {
        private final String method;
        private final String authority;

        TracedCall(ClientCall<Q, R> delegate, String method, String authority) {
            super(delegate);
            this.method = method;
            this.authority = authority;
        }

        @Override
        public void start(Listener<R> listener, Metadata headers) {
            Span span = SpanHooks.call(RecordNames.GRPC_REQUEST).action(method);
            if (authority != null) {
                span.host(authority);
            }
            // ids as bytes: the scope's trace id array, the call id built without a string
            SpanHooks.inject(span, headers, GrpcMetadata.SETTER, true);
            try {
                super.start(new Closing<>(listener, span, CurrentScope.get()), headers);
            } catch (RuntimeException | Error e) {
                span.code(Status.Code.UNKNOWN.name()).error(e).close();
                throw e;
            }
        }
    }

    /**
     * Ends the call's record when the call closes, and runs every callback of the
     * application's listener in the caller's scope.
     *
     * <p>Design note: the caller's scope itself (not a child scope, as for a task handed to an
     * executor) is made current: a callback is the continuation of the code that started the
     * call, as OpenTelemetry's listener wrapping treats it. Outside any scope ({@code caller}
     * null) the callbacks run without one, even when gRPC's executor thread carried a scope of
     * its own (a task submitted from a server handler in the same JVM, say).
     */
    static final class Closing<R> extends ForwardingClientCallListener.SimpleForwardingClientCallListener<R> {
        private final Span span;
        private final Scope caller;
        private long messages;

        Closing(ClientCall.Listener<R> delegate, Span span, Scope caller) {
            super(delegate);
            this.span = span;
            this.caller = caller;
        }

        @Override
        public void onHeaders(Metadata headers) {
            Scope previous = CurrentScope.set(caller);
            try {
                super.onHeaders(headers);
            } finally {
                CurrentScope.restore(previous);
            }
        }

        @Override
        public void onMessage(R message) {
            messages++;
            Scope previous = CurrentScope.set(caller);
            try {
                super.onMessage(message);
            } finally {
                CurrentScope.restore(previous);
            }
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            // the record ends before the callback: its duration is the call's, not the callback's
            finish(span, status, messages);
            Scope previous = CurrentScope.set(caller);
            try {
                super.onClose(status, trailers);
            } finally {
                CurrentScope.restore(previous);
            }
        }

        @Override
        public void onReady() {
            Scope previous = CurrentScope.set(caller);
            try {
                super.onReady();
            } finally {
                CurrentScope.restore(previous);
            }
        }
    }

    static void finish(Span span, Status status, long messages) {
        span.code(status.getCode().name());
        if (messages > 0) {
            span.responseLen(messages);
        }
        if (!status.isOk()) {
            if (status.getDescription() != null) {
                span.msg(status.getDescription());
            }
            span.error(status.getCause());
        }
        span.close();
    }
}
