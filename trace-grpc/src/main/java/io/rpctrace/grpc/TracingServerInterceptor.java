package io.rpctrace.grpc;

import io.grpc.Context;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerStreamTracer;
import io.grpc.Status;
import io.rpctrace.Span;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Propagation;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.SpanHooks;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Server side of docs/model.md#rule-1 for gRPC: each call served enters a scope from the
 * metadata's {@code x-trace-id}/{@code x-rpc-id} (+ debug, W3C/B3 interop), current on
 * whatever thread gRPC runs the application's handler and listener callbacks, and writes
 * {@code request.info} when the call closes ({@code x_action} the full method name,
 * {@code x_code} the status code name, {@code x_client_ip} the peer). Response headers carry
 * {@code x-trace-id}.
 *
 * <pre>{@code
 * Server server = ServerBuilder.forPort(50051)
 *         .addService(new OrderService())
 *         .intercept(new TracingServerInterceptor())
 *         .addStreamTracerFactory(TracingServerInterceptor.wireSizes()) // optional: metric.ip bytes
 *         .build();
 * }</pre>
 *
 * <p>With the agent attached, every server the application builds gets this interceptor (and
 * the wire sizes) by itself; one that the application adds as well is recognised and does
 * nothing.
 */
public final class TracingServerInterceptor implements ServerInterceptor {
    private static final Context.Key<WireSizes> WIRE_SIZES = Context.key("rpctrace-wire-sizes");

    /**
     * The stream tracer factory that measures the bytes of each served call's messages, for the
     * per-client-IP windows ({@code metric.ip} {@code bytes_in}/{@code bytes_out},
     * docs/metrics.md). Without it those bytes count 0.
     */
    public static ServerStreamTracer.Factory wireSizes() {
        return WireSizesFactory.INSTANCE;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                      ServerCallHandler<Q, R> next) {
        if (call instanceof TracedServerCall) {
            return next.startCall(call, headers);   // an outer instance traces this call
        }
        Scope scope = Propagation.extract(headers, GrpcMetadata.GETTER, null);
        Span span = SpanHooks.enter(scope).action(call.getMethodDescriptor().getFullMethodName());
        String ip = clientIp(call);
        if (ip != null) {
            span.clientIp(ip);
        }
        // The handler's callbacks may run on other threads: the scope is made current around
        // each of them, never left on a gRPC thread.
        span.exitScope();
        TracedServerCall<Q, R> traced = new TracedServerCall<>(call, span, WIRE_SIZES.get());
        Scope previous = CurrentScope.set(scope);
        try {
            return new ScopedListener<>(next.startCall(traced, headers), scope, traced);
        } catch (RuntimeException | Error e) {
            traced.fail(e);
            throw e;
        } finally {
            CurrentScope.restore(previous);
        }
    }

    private static String clientIp(ServerCall<?, ?> call) {
        try {
            SocketAddress a = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
            if (a instanceof InetSocketAddress && ((InetSocketAddress) a).getAddress() != null) {
                return ((InetSocketAddress) a).getAddress().getHostAddress();
            }
        } catch (RuntimeException ignored) {
            // no transport attributes: the record goes without x_client_ip
        }
        return null;
    }

    /** Writes the record when the application closes the call. */
    static final class TracedServerCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        @SuppressWarnings("rawtypes")
        private static final AtomicIntegerFieldUpdater<TracedServerCall> STATE =
                AtomicIntegerFieldUpdater.newUpdater(TracedServerCall.class, "state");
        private static final int FINISHED = 1;
        private static final int HEADERS_SENT = 2;
        private final Span span;
        private final WireSizes sizes;
        private long messages;
        /**
         * {@link #FINISHED} once one of close, fail and cancelled took the span: the cancellation
         * arrives on another thread than the application's close, and the span's record is
         * reused once written, so only one of them may touch it. {@link #HEADERS_SENT} once the
         * response headers went out. One field for both: the call object stays at 40 bytes.
         */
        private volatile int state;

        TracedServerCall(ServerCall<Q, R> delegate, Span span, WireSizes sizes) {
            super(delegate);
            this.span = span;
            this.sizes = sizes;
        }

        /** The call's message bytes for metric.ip (x_response_len stays the message count). */
        private Span withBytes() {
            return sizes == null ? SpanHooks.responseBytes(span, 0)
                    : SpanHooks.responseBytes(SpanHooks.requestLen(span, sizes.in), sizes.out);
        }

        @Override
        public void sendHeaders(Metadata headers) {
            set(HEADERS_SENT);
            GrpcMetadata.putTraceId(headers, SpanHooks.scope(span));
            super.sendHeaders(headers);
        }

        @Override
        public void sendMessage(R message) {
            messages++;
            super.sendMessage(message);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            if ((state & HEADERS_SENT) == 0) {
                GrpcMetadata.putTraceId(trailers, SpanHooks.scope(span));
            }
            // a call the client cancelled (or whose deadline passed) while the handler was still
            // at work ends CANCELLED for the client, whatever status the handler closes with
            if (claim()) {
                TracingClientInterceptor.finish(withBytes(), isCancelled() && status.isOk() ? Status.CANCELLED : status,
                        messages);
            }
            super.close(status, trailers);
        }

        void fail(Throwable t) {
            if (claim()) {
                withBytes().code(Status.Code.UNKNOWN.name()).error(t).close();
            }
        }

        void cancelled() {
            if (claim()) {
                withBytes().code(Status.Code.CANCELLED.name()).failed().close();
            }
        }

        /** True for the one caller that sets {@link #FINISHED}. */
        private boolean claim() {
            return (state & FINISHED) == 0 && set(FINISHED);
        }

        /** Sets {@code bit}; true when this call set it (it was clear). */
        private boolean set(int bit) {
            for (int s = state; (s & bit) == 0; s = state) {
                if (STATE.compareAndSet(this, s, s | bit)) {
                    return true;
                }
            }
            return false;
        }
    }

    static final class WireSizesFactory extends ServerStreamTracer.Factory {
        static final WireSizesFactory INSTANCE = new WireSizesFactory();

        @Override
        public ServerStreamTracer newServerStreamTracer(String fullMethodName, Metadata headers) {
            return new WireSizes();
        }
    }

    /**
     * The message bytes of one served call as gRPC reports them (compressed size, without the
     * 5-byte frame header), handed to the interceptor through the call's context. Inbound
     * sizes come from the one thread that deframes, outbound from the one that sends (a call
     * is not sent to concurrently): single writers, read when the call closes.
     */
    static final class WireSizes extends ServerStreamTracer {
        volatile long in;
        volatile long out;

        @Override
        public Context filterContext(Context context) {
            return context.withValue(WIRE_SIZES, this);
        }

        @Override
        @SuppressWarnings("NonAtomicOperationOnVolatileField")
        public void inboundWireSize(long bytes) {
            if (bytes > 0) {
                in += bytes;
            }
        }

        @Override
        @SuppressWarnings("NonAtomicOperationOnVolatileField")
        public void outboundWireSize(long bytes) {
            if (bytes > 0) {
                out += bytes;
            }
        }
    }

    /** Makes the call's scope current around every callback of the application's listener. */
    static final class ScopedListener<Q> extends ForwardingServerCallListener.SimpleForwardingServerCallListener<Q> {
        private final Scope scope;
        private final TracedServerCall<Q, ?> call;

        ScopedListener(ServerCall.Listener<Q> delegate, Scope scope, TracedServerCall<Q, ?> call) {
            super(delegate);
            this.scope = scope;
            this.call = call;
        }

        @Override
        public void onMessage(Q message) {
            Scope previous = CurrentScope.set(scope);
            try {
                super.onMessage(message);
            } catch (RuntimeException | Error e) {
                call.fail(e);
                throw e;
            } finally {
                CurrentScope.restore(previous);
            }
        }

        @Override
        public void onHalfClose() {
            Scope previous = CurrentScope.set(scope);
            try {
                super.onHalfClose();
            } catch (RuntimeException | Error e) {
                call.fail(e);
                throw e;
            } finally {
                CurrentScope.restore(previous);
            }
        }

        @Override
        public void onCancel() {
            call.cancelled();   // no-op when the call closed already (the record is written once)
            Scope previous = CurrentScope.set(scope);
            try {
                super.onCancel();
            } finally {
                CurrentScope.restore(previous);
            }
        }

        @Override
        public void onComplete() {
            Scope previous = CurrentScope.set(scope);
            try {
                super.onComplete();
            } finally {
                CurrentScope.restore(previous);
            }
        }

        @Override
        public void onReady() {
            Scope previous = CurrentScope.set(scope);
            try {
                super.onReady();
            } finally {
                CurrentScope.restore(previous);
            }
        }
    }
}
