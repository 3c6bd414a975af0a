package io.rpctrace.instrumentation.rabbitmq;

import io.rpctrace.Span;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.MapCarrier;
import io.rpctrace.context.Propagation;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.AdviceErrors;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.internal.ThreadSlot;
import io.rpctrace.record.RecordNames;
import java.util.Map;

/**
 * docs/model.md#rule-1 for AMQP deliveries: each message a consumer is handed
 * ({@code Consumer.handleDelivery}, which also runs a {@code DeliverCallback}) or that
 * {@code basicGet} returns is processed in a scope entered from its headers, ending with a
 * {@code rabbitmq.consume} record: {@code prefix} = the publisher's call id, so the record is
 * {@code <call id>.1} and the consumer's own calls are {@code <call id>.2}, ….
 *
 * <pre>{@code
 * // handleDelivery enter: Span s = AmqpDeliveries.delivered(this, exchange, routingKey, tag, redeliver, headers, bodyLen)
 * // handleDelivery exit:  AmqpDeliveries.processed(s, thrown)
 * // basicGet enter:       AmqpDeliveries.getStarted()
 * // basicGet exit:        AmqpDeliveries.got(channel, queue, host, exchange, routingKey, tag, redeliver, headers, bodyLen)
 * // basicAck/Nack/Reject: AmqpDeliveries.settled(channel, tag, multiple)
 * }</pre>
 *
 * <p>Design note: a delivery handed to a consumer has an obvious end, the return of
 * {@code handleDelivery}. A message taken with {@code basicGet} has none, so its scope lasts, on
 * the thread that took it, until the application settles it ({@code basicAck}, {@code basicNack},
 * {@code basicReject} of that delivery on that channel) or takes the next one: as the Kafka
 * consumer's scope lasts until the next message or poll. When {@code basicGet} runs inside
 * another scope (a served request that drains a queue), that scope stays current, and the
 * message's {@code rabbitmq.consume} record is written at once in the message's trace.
 */
public final class AmqpDeliveries {
    /** The scope of the message this thread took with basicGet: {span, channel, delivery tag}. */
    private static final ThreadSlot<Object[]> OPEN = new ThreadSlot<>();
    /** The failure of a listener a container ran inside this thread's delivery (set on failures only). */
    private static final ThreadSlot<Throwable> LISTENER_FAILED = new ThreadSlot<>();

    /** A message's headers, in any case (one lookup a name when ours are in lower case, as rpctrace writes them). */
    private static final MapCarrier<Object> HEADERS = new MapCarrier<>(AmqpCalls::text);

    private AmqpDeliveries() {
    }

    /**
     * A consumer is handed a delivery: enters its scope (the consumer's queue and broker as
     * {@link AmqpCalls#consuming} registered them). Returns the span that
     * {@link #processed} ends.
     */
    public static Span delivered(Object consumer, String exchange, String routingKey, long deliveryTag,
                                 boolean redelivered, Map<String, Object> headers, long bodyLen) {
        String[] c = AmqpCalls.consumer(consumer);
        return enter(c == null ? null : c[0], c == null ? null : c[1], exchange, routingKey, deliveryTag, redelivered,
                headers, bodyLen);
    }

    /**
     * A listener container (Spring AMQP) runs its listener for a message it took from its own
     * queue: enters the message's scope, as {@link #delivered} does. Returns the span that
     * {@link #processed} ends.
     */
    public static Span listening(String queue, String host, String exchange, String routingKey, long deliveryTag,
                                 boolean redelivered, Map<String, Object> headers, long bodyLen) {
        return enter(queue, host, exchange, routingKey, deliveryTag, redelivered, headers, bodyLen);
    }

    /**
     * What a listener container's failure is coded by: the listener's own exception, not the
     * {@code ListenerExecutionFailedException} Spring AMQP wraps it in.
     */
    public static Throwable listenerFailure(Throwable thrown) {
        if (thrown != null && thrown.getCause() != null
                && thrown.getClass().getName().endsWith(".ListenerExecutionFailedException")) {
            return thrown.getCause();
        }
        return thrown;
    }

    /**
     * A listener container (Spring AMQP's {@code DirectMessageListenerContainer}) ran its listener
     * inside this thread's {@code handleDelivery}, and the listener threw: the container handles
     * the exception itself (rejects or requeues the message), so the delivery returns normally;
     * {@link #takeListenerFailure} gives the failure to the delivery's record.
     */
    public static void listenerFailed(Throwable thrown) {
        if (thrown != null) {
            LISTENER_FAILED.set(listenerFailure(thrown));
        }
    }

    /**
     * What the delivery's {@code handleDelivery} ends with: {@code thrown} when it threw, else the
     * failure a listener container ran inside it reported ({@link #listenerFailed}), else null.
     * {@code span} null (a nested consumer, nothing recorded): the outer delivery takes it.
     */
    public static Throwable takeListenerFailure(Span span, Throwable thrown) {
        if (span == null) {
            return thrown;
        }
        Throwable failed = LISTENER_FAILED.get();   // one thread-local read per delivery; set on failures only
        if (failed == null) {
            return thrown;
        }
        LISTENER_FAILED.set(null);
        return thrown != null ? thrown : failed;
    }

    /** The consumer returned (or threw {@code thrown}): writes {@code rabbitmq.consume} (or {@code .error}). */
    public static void processed(Span span, Throwable thrown) {
        if (span == null) {
            return;
        }
        try {
            if (thrown != null) {
                span.code(AmqpCalls.code(thrown)).error(thrown);
            }
            span.close();
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /** {@code basicGet} begins on this thread: the message it took before is done. */
    public static void getStarted() {
        closeOpen();
    }

    /**
     * {@code basicGet} on {@code channel} returned a message from {@code queue}: outside any
     * scope, enters the message's scope until it is {@linkplain #settled settled} or the next
     * get; inside one, writes the message's {@code rabbitmq.consume} record at once.
     */
    public static void got(Object channel, String queue, String host, String exchange, String routingKey,
                           long deliveryTag, boolean redelivered, Map<String, Object> headers, long bodyLen) {
        boolean inScope = CurrentScope.get() != null;
        Span span = enter(queue, host, exchange, routingKey, deliveryTag, redelivered, headers, bodyLen);
        if (span == null) {
            return;
        }
        if (inScope) {
            span.close();   // restores the caller's scope
        } else {
            OPEN.set(new Object[] {span, channel, deliveryTag});
        }
    }

    /** {@code basicAck}/{@code basicNack}/{@code basicReject} of {@code deliveryTag} on {@code channel}. */
    public static void settled(Object channel, long deliveryTag, boolean multiple) {
        Object[] open = OPEN.get();
        if (open == null || open[1] != channel) {
            return;
        }
        long tag = (Long) open[2];
        if (tag == deliveryTag || (multiple && (deliveryTag == 0 || tag <= deliveryTag))) {
            closeOpen();
        }
    }

    /** True while this thread processes a message it took with basicGet (for tests). */
    static boolean open() {
        return OPEN.get() != null;
    }

    private static void closeOpen() {
        Object[] open = OPEN.get();
        if (open == null) {
            return;
        }
        OPEN.set(null);
        try {
            ((Span) open[0]).close();
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    private static Span enter(String queue, String host, String exchange, String routingKey, long deliveryTag,
                              boolean redelivered, Map<String, Object> headers, long bodyLen) {
        String ex = AmqpCalls.exchange(exchange);
        Span span;
        try {
            Scope scope = Propagation.extract(headers, HEADERS.getter(headers), null);
            span = SpanHooks.enterAs(RecordNames.RABBITMQ_CONSUME, scope);
        } catch (Throwable t) {
            AdviceErrors.record(t);
            return null;
        }
        try {   // the scope is current now: whatever happens, the span is returned to be closed
            span.action(queue != null ? queue : ex).extra("exchange", ex);
            if (routingKey != null && !routingKey.isEmpty()) {
                span.extra("routing_key", routingKey);
            }
            if (deliveryTag >= 0) {
                span.extra("delivery_tag", deliveryTag);
            }
            if (redelivered) {
                span.extra("redelivered", 1);
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
}
