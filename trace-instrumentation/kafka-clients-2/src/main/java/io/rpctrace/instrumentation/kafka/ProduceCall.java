package io.rpctrace.instrumentation.kafka;

import io.rpctrace.Span;
import io.rpctrace.context.Propagation;
import io.rpctrace.internal.AdviceErrors;
import io.rpctrace.internal.CallerModule;
import io.rpctrace.internal.HelperClasses;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.record.RecordNames;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One message sent to a broker (docs/model.md#rule-2): a {@code kafka.produce} record timed from
 * the send until the broker's acknowledgement, which arrives on another thread.
 *
 * <p>The send advice {@linkplain #start starts} the call, writes its headers on the message and
 * hands the producer the call itself as the send's callback: the call is a Kafka
 * {@code Callback} ({@code io.rpctrace.kafka.SendCallback}, defined next to the application's
 * kafka-clients) that ends the call and then runs the application's callback, if any.
 * Whichever ends the call first, the acknowledgement or a failure seen when the send returns,
 * {@linkplain #claim claims} it, so one record is written.
 *
 * <pre>{@code
 * // send enter:  ProduceCall call = ProduceCall.start(Callback.class, topic, producerMetadata, callback);
 * //              callback = (Callback) call; call.addHeaders(record.headers());
 * // callback:    if (call.claim()) call.acked(...)            (SendCallback.onCompletion)
 * // send exit:   if (failed && call.claim()) call.failed(t)
 * }</pre>
 *
 * <p>Design note: the call is the callback. Binding the producer's own completion object to the
 * call in a weak identity map cost a weak reference, a map node and two lookup keys per send
 * (about 110 bytes, plus reference processing in every collection) and a thread-local between
 * the send's enter and exit; a callback wrapper costs nothing beyond the call, which the send
 * needs anyway. It implements a Kafka type, so its class is defined from the agent jar next to
 * the application's kafka-clients ({@link HelperClasses}), like the gRPC interceptors.
 */
public abstract class ProduceCall {
    private static final AtomicIntegerFieldUpdater<ProduceCall> DONE =
            AtomicIntegerFieldUpdater.newUpdater(ProduceCall.class, "done");
    static final String CALLBACK = "io.rpctrace.kafka.SendCallback$Factory";
    /** Kafka's {@code Callback} interface (one per kafka-clients copy) → the factory of calls linked against it. */
    private static final ClassValue<Factory> FACTORIES = new ClassValue<Factory>() {
        @Override
        protected Factory computeValue(Class<?> callbackType) {
            try {
                return (Factory) HelperClasses.instance(callbackType, CALLBACK);
            } catch (RuntimeException | LinkageError e) {
                AdviceErrors.record(e);
                return Factory.NONE;   // never asked again for this kafka-clients: sends go untraced
            }
        }
    };
    /** Topic → the application method that sends to it ({@code x_module}). */
    private static final CallerModule.Namespace TOPICS = CallerModule.namespace();
    private final Span span;
    private final Object client;
    private volatile int done;

    /** A call timed by {@code span}; {@code client} is what the callback needs to name the broker. */
    protected ProduceCall(Span span, Object client) {
        this.span = span;
        this.client = client;
    }

    /** Makes the calls of one kafka-clients copy: implemented next to the library. */
    public abstract static class Factory {
        static final Factory NONE = new Factory() {
            @Override
            public ProduceCall newCall(Span span, Object client, Object callback) {
                return null;
            }
        };

        /** A call timed by {@code span} whose callback runs the application's {@code callback} (may be null). */
        public abstract ProduceCall newCall(Span span, Object client, Object callback);
    }

    /**
     * Starts the call of a send to {@code topic} on this thread ({@code x_action} the topic,
     * {@code x_module} the application method that sent it), or returns null (nothing started)
     * when no call class links against {@code callbackType} (Kafka's {@code Callback}).
     * {@code client} is whatever the callback needs at completion (the producer's metadata,
     * to name the broker); {@code callback} is the application's, run after the call ends.
     */
    public static ProduceCall start(Class<?> callbackType, String topic, Object client, Object callback) {
        return start(FACTORIES.get(callbackType), topic, client, callback);
    }

    static ProduceCall start(Factory calls, String topic, Object client, Object callback) {
        if (calls == Factory.NONE) {
            return null;
        }
        Span span = SpanHooks.call(RecordNames.KAFKA_PRODUCE).action(topic);
        try {
            // one map probe per send: the stack is walked once per topic (CallerModule's design note)
            span.module(CallerModule.of(TOPICS, topic == null ? "" : topic));
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
        return calls.newCall(span, client, callback);
    }

    /**
     * Writes the call's headers on {@code headers} (Kafka's {@code Headers}), replacing those of
     * an earlier send of the same message. Throws {@code IllegalStateException} before writing
     * anything when the headers are read-only (a message sent before).
     */
    public abstract void addHeaders(Object headers);

    /**
     * Writes the headers of docs/propagation.md#headers through {@code setter}: lower-case
     * names, the ids and {@code traceparent} as ASCII bytes (the trace id's array is the scope's,
     * shared by its sends; the call id is built as bytes, no string).
     */
    protected final <C> void inject(C carrier, Propagation.AsciiSetter<C> setter) {
        SpanHooks.inject(span, carrier, setter, true);
    }

    /** True for a header this instrumentation writes (a re-sent message gets fresh ones). */
    public static boolean isPropagationHeader(String name) {
        return Propagation.isInjected(name);
    }

    /** True for the one caller that may finish this call. */
    public final boolean claim() {
        return done == 0 && DONE.compareAndSet(this, 0, 1);
    }

    /** What {@link #start} was given. */
    public final Object client() {
        return client;
    }

    /** The broker acknowledged: writes {@code kafka.produce}. {@code host} may be null. */
    public final void acked(String host, int partition, long offset, long valueBytes) {
        try {
            if (host != null) {
                span.host(host);
            }
            span.extra("partition", partition).extra("offset", offset);
            if (valueBytes >= 0) {
                span.responseLen(valueBytes);
            }
            span.close();
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /** The send failed: writes {@code kafka.produce.error}. */
    public final void failed(Throwable t, String host, int partition) {
        try {
            if (host != null) {
                span.host(host);
            }
            if (partition >= 0) {
                span.extra("partition", partition);
            }
            span.code(t == null ? "error" : t.getClass().getSimpleName());
            span.error(t).close();
        } catch (Throwable e) {
            AdviceErrors.record(e);
        }
    }
}
