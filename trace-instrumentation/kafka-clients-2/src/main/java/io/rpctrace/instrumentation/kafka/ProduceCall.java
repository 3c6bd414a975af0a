package io.rpctrace.instrumentation.kafka;

import io.rpctrace.Span;
import io.rpctrace.context.Propagation;
import io.rpctrace.internal.AdviceErrors;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.internal.concurrent.WeakIdentityMap;
import io.rpctrace.record.RecordNames;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One message sent to a broker (docs/model.md#rule-2): a {@code kafka.produce} record timed from
 * the send until the broker's acknowledgement, which arrives on another thread.
 *
 * <p>The send advice {@linkplain #start starts} the call and writes its {@linkplain #headers()
 * headers} on the message; the library's own completion object (built inside the send) is
 * {@linkplain #bindCallback bound} to it; whichever ends the call first, the acknowledgement
 * or a failure seen when the send returns, {@linkplain #claim claims} it, so one record is
 * written.
 *
 * <pre>{@code
 * // send enter:       ProduceCall call = ProduceCall.start(topic, producerMetadata); add call.headers()
 * // callback ctor:    ProduceCall.bindCallback(this)
 * // callback done:    ProduceCall c = ProduceCall.forCallback(this); if (c != null && c.claim()) c.acked(...)
 * // send exit:        ProduceCall c = ProduceCall.endSend(); if (failed && c != null && c.claim()) c.failed(t)
 * }</pre>
 */
public final class ProduceCall {
    private static final ThreadLocal<ProduceCall> SENDING = new ThreadLocal<>();
    private static final WeakIdentityMap<ProduceCall> BY_CALLBACK = new WeakIdentityMap<>();
    private static final AtomicIntegerFieldUpdater<ProduceCall> DONE =
            AtomicIntegerFieldUpdater.newUpdater(ProduceCall.class, "done");
    private final Span span;
    private final Object client;
    private volatile int done;

    private ProduceCall(Span span, Object client) {
        this.span = span;
        this.client = client;
    }

    /**
     * Starts the call of a send to {@code topic} on this thread; {@code client} is whatever the
     * advice needs back at completion (the producer's metadata, to name the broker).
     */
    public static ProduceCall start(String topic, Object client) {
        ProduceCall call = new ProduceCall(SpanHooks.call(RecordNames.KAFKA_PRODUCE).action(topic), client);
        SENDING.set(call);
        return call;
    }

    /**
     * The headers to put on the message, as name/value pairs (lower-case names,
     * docs/propagation.md#headers), values UTF-8 bytes ({@code traceparent} built as bytes).
     */
    public Object[] headers() {
        Pairs pairs = new Pairs();
        Propagation.inject(pairs, Pairs.SETTER, SpanHooks.scope(span), span.rpcId(), true);
        return pairs.toArray();
    }

    /**
     * Name/value pairs sized for the usual three headers (ids and {@code traceparent}): the
     * common send allocates this, its array and the three values.
     */
    private static final class Pairs {
        static final Propagation.AsciiSetter<Pairs> SETTER = new Propagation.AsciiSetter<Pairs>() {
            @Override
            public void set(Pairs pairs, String name, String value) {
                pairs.add(name, value.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void setAscii(Pairs pairs, String name, byte[] value) {
                pairs.add(name, value);
            }
        };
        private Object[] values = new Object[6];
        private int n;

        private void add(String name, byte[] value) {
            if (n + 2 > values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[n++] = name;
            values[n++] = value;
        }

        Object[] toArray() {
            return n == values.length ? values : Arrays.copyOf(values, n);
        }
    }

    /** True for a header this instrumentation writes (a re-sent message gets fresh ones). */
    public static boolean isPropagationHeader(String name) {
        return Propagation.isInjected(name);
    }

    /** Binds the library's completion object being built by the send on this thread to its call. */
    public static void bindCallback(Object callback) {
        ProduceCall call = SENDING.get();
        if (call != null && callback != null) {
            BY_CALLBACK.put(callback, call);
        }
    }

    /** The call bound to {@code callback}, unbinding it; null when none. */
    public static ProduceCall forCallback(Object callback) {
        if (callback == null || BY_CALLBACK.isEmpty()) {
            return null;
        }
        ProduceCall call = BY_CALLBACK.get(callback);
        if (call != null) {
            BY_CALLBACK.remove(callback);
        }
        return call;
    }

    /** Ends the send on this thread: the call it started, or null. */
    public static ProduceCall endSend() {
        ProduceCall call = SENDING.get();
        if (call != null) {
            SENDING.set(null);   // not remove(): the thread's entry is reused by its next send
        }
        return call;
    }

    /** True for the one caller that may finish this call. */
    public boolean claim() {
        return done == 0 && DONE.compareAndSet(this, 0, 1);
    }

    /** What {@link #start} was given. */
    public Object client() {
        return client;
    }

    /** The broker acknowledged: writes {@code kafka.produce}. {@code host} may be null. */
    public void acked(String host, int partition, long offset, long valueBytes) {
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
    public void failed(Throwable t, String host, int partition) {
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
