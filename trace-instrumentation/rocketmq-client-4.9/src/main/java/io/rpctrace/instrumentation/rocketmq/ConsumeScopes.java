package io.rpctrace.instrumentation.rocketmq;

import io.rpctrace.Span;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Propagation;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.AdviceErrors;
import io.rpctrace.internal.HostPorts;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.internal.ThreadSlot;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;

/**
 * docs/model.md#rule-1 for consumed messages: a push consumer's listener processes a message in
 * a scope entered from the message's user properties, ending with a {@code rocketmq.consume}
 * record coded by what the listener answered (a failed answer's {@code x_msg}: the exception the
 * listener threw, else what it asked for): {@code prefix} = the producer's call id, so the
 * record is {@code <call id>.1} and the listener's own calls are {@code <call id>.2}, ….
 *
 * <pre>{@code
 * // before the listener:   Batch b = ConsumeScopes.begin(msgs.size()); for each m: b.add(topic, tags, ...)
 * // the listener answered: ConsumeScopes.end(status, group)
 * // the request ends:      ConsumeScopes.end(null, null)   (no answer: the queue was dropped)
 * // a pull consumer polled:  Batch b = ConsumeScopes.polled(); for each m: b.add(topic, tags, ...)
 * }</pre>
 *
 * <p>Design note: a listener is handed a batch ({@code consumeMessageBatchMaxSize}, 1 by
 * default). A batch of one is processed in its message's scope. A larger batch is processed in
 * no message's scope, since its work cannot be told apart per message: each message still gets
 * its record, in its own trace, timed over the batch and coded by the batch's answer, and the
 * listener runs in a scope of the batch's own, a new trace entered as a request without caller
 * ids (its calls {@code 0.2}, {@code 0.3}, …), whose trace id each message's record names as
 * {@code x_extra.batch_trace_id} (docs/RATIONALE.md, "A batch handed whole to a listener").
 */
public final class ConsumeScopes {
    /** The record name of a consumed message. */
    public static final String CONSUME = "rocketmq.consume";
    /** The batch this thread's listener is processing. */
    private static final ThreadSlot<Batch> OPEN = new ThreadSlot<>();
    /** The last store host seen and its string (immutable, published by a volatile write). */
    private static volatile StoreHost lastStoreHost;

    private ConsumeScopes() {
    }

    /** A listener is about to be handed {@code size} messages on this thread (any batch still open ends). */
    public static Batch begin(int size) {
        end(null, null);
        Batch b = new Batch(size);
        if (size > 1) {
            try {
                b.scope = Scope.enter(null, null, false);
                b.previous = CurrentScope.set(b.scope);   // each message's scope, left at once, gives it back
            } catch (Throwable t) {
                AdviceErrors.record(t);
            }
        }
        OPEN.set(b);
        return b;
    }

    /**
     * The listener answered {@code status} ({@code CONSUME_SUCCESS}, {@code RECONSUME_LATER},
     * {@code SUCCESS}, {@code SUSPEND_CURRENT_QUEUE_A_MOMENT}, …; null: none): ends the open
     * batch, a failed answer making each record {@code rocketmq.consume.error} with the
     * status as {@code x_code}. {@code group} is the consumer group (may be null).
     */
    public static void end(String status, String group) {
        Batch b = OPEN.get();
        if (b == null) {
            return;
        }
        OPEN.set(null);
        // the batch's spans in reverse: a scope entered last is left first
        for (int i = b.size - 1; i >= 0; i--) {
            Span s = b.spans[i];
            try {
                if (group != null) {
                    s.extra("group", group);
                }
                if (failed(status)) {
                    // the listener's exception when it threw (the library answered for it), else
                    // what it answered
                    s.code(status);
                    if (b.thrown != null) {
                        s.error(b.thrown);
                    } else {
                        s.msg(answerMessage(status)).failed();
                    }
                }
                s.close();
            } catch (Throwable t) {
                AdviceErrors.record(t);
            }
        }
        if (b.scope != null) {
            CurrentScope.restore(b.previous);
        }
    }

    /**
     * {@code thrown} is being described for the library's log: when that is a consume request's
     * {@code run} catching what this thread's listener threw, the open batch's records carry it
     * ({@code x_msg}, {@code x_backtrace}). Called on errors only: the caller check costs a
     * stack capture, once per failed listener call.
     */
    public static void listenerThrew(Throwable thrown) {
        Batch b = OPEN.get();
        if (b == null || thrown == null || b.thrown != null) {
            return;
        }
        try {
            if (calledByConsumeRequest(new Throwable().getStackTrace())) {
                b.thrown = thrown;
            }
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /**
     * True when a consume request's {@code run} is among the first frames of {@code stack}
     * (this class, the describing method, then its caller): not a describing call made by the
     * listener's own work, a send failing inside it.
     */
    static boolean calledByConsumeRequest(StackTraceElement[] stack) {
        for (int i = 0; i < Math.min(4, stack.length); i++) {
            String cls = stack[i].getClassName();
            if (cls.startsWith("org.apache.rocketmq.client.impl.consumer.ConsumeMessage")
                    && cls.endsWith("$ConsumeRequest") && stack[i].getMethodName().equals("run")) {
                return true;
            }
        }
        return false;
    }

    /** {@code x_msg} of a failed answer the listener gave without throwing. */
    static String answerMessage(String status) {
        switch (status) {
            case "RECONSUME_LATER":
                return "listener asked to reconsume later";
            case "SUSPEND_CURRENT_QUEUE_A_MOMENT":
                return "listener asked to suspend the queue a moment";
            default:
                return "listener asked to roll back";
        }
    }

    /** True for a listener's answer that asks for the message again. */
    static boolean failed(String status) {
        return status != null && (status.equals("RECONSUME_LATER") || status.equals("SUSPEND_CURRENT_QUEUE_A_MOMENT")
                || status.equals("ROLLBACK"));
    }

    /**
     * A pull consumer's {@code poll} returned {@code size} messages: each one {@linkplain Batch#add
     * added} gets its {@code rocketmq.consume} record at once, in the message's trace; the
     * caller's scope stays as it was.
     */
    public static Batch polled() {
        return new Batch(0);
    }

    /**
     * {@code x_host} of a message's store host ({@code MessageExt.getStoreHost()}): the string
     * made once per broker address, not per message (a consumer reads from a handful of
     * brokers; formatting the address and joining the port took a string and a builder each).
     */
    public static String storeHost(SocketAddress store) {
        if (!(store instanceof InetSocketAddress)) {
            return null;
        }
        StoreHost last = lastStoreHost;
        if (last != null && last.address.equals(store)) {
            return last.host;
        }
        InetSocketAddress a = (InetSocketAddress) store;
        InetAddress ip = a.getAddress();
        String host = HostPorts.of(ip != null ? ip.getHostAddress() : a.getHostString(), a.getPort());
        lastStoreHost = new StoreHost(a, host);
        return host;
    }

    private static final class StoreHost {
        final InetSocketAddress address;
        final String host;

        StoreHost(InetSocketAddress address, String host) {
            this.address = address;
            this.host = host;
        }
    }

    /** True while this thread's listener processes a batch (for tests). */
    static boolean open() {
        return OPEN.get() != null;
    }

    static Span enter(String topic, String tags, String msgId, Map<String, String> properties, int reconsumeTimes,
                      int queueId, long queueOffset, String host, String brokerName, long bodyLen) {
        Span span;
        try {
            Scope scope = Propagation.extract(properties, UserProperties.getterFor(properties), null);
            span = SpanHooks.enterAs(CONSUME, scope);
        } catch (Throwable t) {
            AdviceErrors.record(t);
            return null;
        }
        try {   // the scope is current now: whatever happens, the span is returned to be closed
            span.action(topic);
            if (tags != null && !tags.isEmpty()) {
                span.extra("tags", tags);
            }
            if (msgId != null) {
                span.extra("msg_id", msgId);
            }
            span.extra("queue_id", queueId).extra("queue_offset", queueOffset);
            if (reconsumeTimes > 0) {
                span.extra("reconsume_times", reconsumeTimes);
            }
            if (brokerName != null) {
                span.extra("broker", brokerName);
            }
            if (host != null) {
                span.host(host);
            }
            if (bodyLen >= 0) {
                span.responseLen(bodyLen);
            }
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
        return span;
    }

    /** The messages of one listener call, each with its span. */
    public static final class Batch {
        final Span[] spans;
        int size;
        /** What the listener threw, caught by the library (null: it answered). */
        Throwable thrown;
        /** The scope of a batch of several, current while the listener runs (null for one). */
        Scope scope;
        /** The scope {@link #scope} replaced. */
        Scope previous;

        /** {@code capacity} 0: a polled batch, whose records are written as messages are added. */
        Batch(int capacity) {
            spans = new Span[Math.max(0, capacity)];
        }

        /**
         * Adds one message of the batch (in the batch's order): enters its scope, which stays
         * current only in a batch of one; a polled message's record is written at once.
         */
        public void add(String topic, String tags, String msgId, Map<String, String> properties, int reconsumeTimes,
                        int queueId, long queueOffset, String host, String brokerName, long bodyLen) {
            if (spans.length > 0 && size == spans.length) {
                return;
            }
            Span s = ConsumeScopes.enter(topic, tags, msgId, properties, reconsumeTimes, queueId, queueOffset, host,
                    brokerName, bodyLen);
            if (s == null) {
                return;
            }
            if (spans.length == 0) {
                try {
                    s.close();   // polled: the record now, the caller's scope back
                } catch (Throwable t) {
                    AdviceErrors.record(t);
                }
                return;
            }
            if (spans.length > 1) {
                try {
                    s.exitScope();
                    if (scope != null) {
                        s.extra("batch_trace_id", scope.traceId());
                    }
                } catch (Throwable t) {
                    AdviceErrors.record(t);
                }
            }
            spans[size++] = s;
        }
    }
}
