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
import io.rpctrace.Trace;
import io.rpctrace.context.Propagation;
import io.rpctrace.record.RecordNames;

/**
 * Client side of SPEC §1 rule 2 for gRPC: each call writes one {@code grpc.request} record
 * ({@code x_action} the full method name, {@code x_host} the channel's authority,
 * {@code x_code} the status code name, {@code x_response_len} the response messages) and
 * sends {@code x-trace-id}, {@code x-rpc-id} (+ debug, {@code traceparent}) in its metadata.
 * A call that ends with a status other than {@code OK} is written as {@code grpc.request.error}.
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
    /** Set on the options of a call already traced by an outer instance of this interceptor. */
    static final CallOptions.Key<Boolean> TRACED = CallOptions.Key.createWithDefault("rpctrace.traced", Boolean.FALSE);

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        if (options.getOption(TRACED)) {
            return next.newCall(method, options);
        }
        ClientCall<Q, R> call = next.newCall(method, options.withOption(TRACED, Boolean.TRUE));
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
            Span span = Trace.call(RecordNames.GRPC_REQUEST).action(method);
            if (authority != null) {
                span.host(authority);
            }
            Propagation.inject(headers, GrpcMetadata.SETTER, span.scope(), span.rpcId(), true);
            try {
                super.start(new Closing<>(listener, span), headers);
            } catch (RuntimeException | Error e) {
                span.code(Status.Code.UNKNOWN.name()).error(e).close();
                throw e;
            }
        }
    }

    /** Ends the call's record when the call closes. */
    static final class Closing<R> extends ForwardingClientCallListener.SimpleForwardingClientCallListener<R> {
        private final Span span;
        private long messages;

        Closing(ClientCall.Listener<R> delegate, Span span) {
            super(delegate);
            this.span = span;
        }

        @Override
        public void onMessage(R message) {
            messages++;
            super.onMessage(message);
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
            finish(span, status, messages);
            super.onClose(status, trailers);
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
