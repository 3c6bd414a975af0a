package io.rpctrace.instrumentation.rabbitmq;

import io.rpctrace.Span;
import io.rpctrace.context.Propagation;
import io.rpctrace.internal.AdviceErrors;
import io.rpctrace.internal.CallerModule;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.internal.ThreadSlot;
import io.rpctrace.internal.concurrent.WeakIdentityMap;
import io.rpctrace.record.RecordNames;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One {@code basicPublish} (docs/model.md#rule-2): a {@code rabbitmq.produce} record at the
 * call's id, whose ids travel in a copy of the message's AMQP headers; and what the deliveries
 * need to know about a connection (its broker) and a consumer (its queue). Names no AMQP type:
 * the advice reads the library's objects and hands over plain values.
 *
 * <pre>{@code
 * // basicPublish enter: Span call = AmqpCalls.publish(exchange, routingKey, AmqpCalls.host(conn), bodyLen);
 * //   properties with headers:  AmqpCalls.deferHeaders(call);
 * //     the client writes them: table = AmqpCalls.headersToWrite(table);   // ContentHeaderPropertyWriter.writeTable
 * //   none (or no properties):  PublishHeaders h = AmqpCalls.headers(call, null);
 * //                             props = new AMQP.BasicProperties(props.getContentType(), ..., h, ...);
 * // basicPublish exit:  AmqpCalls.published(call, thrown);
 * }</pre>
 */
public final class AmqpCalls {
    /** {@code x_action} of a publish to the nameless default exchange (as the broker names it). */
    public static final String DEFAULT_EXCHANGE = "amq.default";
    // Design note: weak identity maps, no other bound: an entry lives as long as the
    // application keeps its connection or consumer, and no longer.
    /** Publishes' {@code x_module}, cached per exchange. */
    private static final CallerModule.Namespace EXCHANGES = CallerModule.namespace();
    /**
     * Publishes to the default exchange are keyed by their routing key, the queue: every
     * application that sends straight to its queues ({@code rabbitTemplate.convertAndSend("orders", o)})
     * publishes all of them to {@code ""}, from as many methods as it has queues.
     */
    private static final CallerModule.Namespace DEFAULT_EXCHANGE_QUEUES = CallerModule.namespace();
    private static final WeakIdentityMap<String> HOSTS = new WeakIdentityMap<>();
    private static final WeakIdentityMap<String[]> CONSUMERS = new WeakIdentityMap<>();
    /** [0]: the publish on this thread whose ids go into the next header table the client writes. */
    private static final ThreadSlot<Span[]> HEADERS_DUE = new ThreadSlot<>();

    private AmqpCalls() {
    }

    /** The exchange as recorded: the default exchange ({@code ""}) is {@value #DEFAULT_EXCHANGE}. */
    public static String exchange(String exchange) {
        return exchange == null || exchange.isEmpty() ? DEFAULT_EXCHANGE : exchange;
    }

    /** The broker {@code ip:port} of {@code connection} remembered by {@link #host(Object, InetAddress, int)}, or null. */
    public static String host(Object connection) {
        return connection == null ? null : HOSTS.get(connection);
    }

    /** The broker {@code ip:port} of {@code connection}, remembered for the connection's life. */
    public static String host(Object connection, InetAddress address, int port) {
        if (address == null) {
            return null;
        }
        String host = address.getHostAddress() + ':' + port;
        if (connection != null) {
            HOSTS.put(connection, host);
        }
        return host;
    }

    /**
     * Starts the {@code rabbitmq.produce} call of one publish: {@code x_action} the exchange,
     * {@code x_extra.routing_key}, {@code x_host} the broker, {@code x_response_len} the body's
     * bytes (when {@code bodyLen >= 0}), {@code x_module} the application method that published.
     */
    public static Span publish(String exchange, String routingKey, String host, long bodyLen) {
        String ex = exchange(exchange);
        Span call = SpanHooks.call(RecordNames.RABBITMQ_PRODUCE).action(ex);   // pooled record
        try {
            call.module(exchange == null || exchange.isEmpty()
                    ? CallerModule.of(DEFAULT_EXCHANGE_QUEUES, routingKey == null ? "" : routingKey)
                    : CallerModule.of(EXCHANGES, ex));
            if (routingKey != null && !routingKey.isEmpty()) {
                call.extra("routing_key", routingKey);
            }
            if (host != null) {
                call.host(host);
            }
            if (bodyLen >= 0) {
                call.responseLen(bodyLen);
            }
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
        return call;
    }

    /**
     * The headers to publish: the application's headers ({@code appHeaders}, may be null or
     * unmodifiable, never changed) and this call's ids (docs/propagation.md#headers, lower
     * case), which replace any the message carried already (a consumed message published on
     * keeps none of its old ids): a {@link PublishHeaders}, for the properties' constructor to copy.
     */
    public static PublishHeaders headers(Span call, Map<String, Object> appHeaders) {
        PublishHeaders out = new PublishHeaders(appHeaders);
        Propagation.inject(out, PublishHeaders.SETTER, SpanHooks.scope(call), call.rpcId(), true);
        return out;
    }

    /**
     * The application's properties carry headers: rather than a copy of the properties (and of
     * their header map, which the properties' constructor makes), {@code call}'s ids go into the
     * header table when the client writes it, on this thread, within this publish
     * ({@link #headersToWrite}); the application's properties are not changed.
     */
    public static void deferHeaders(Span call) {
        Span[] due = HEADERS_DUE.get();
        if (due == null) {
            due = new Span[1];
            HEADERS_DUE.set(due);
        }
        due[0] = call;
    }

    /**
     * The header table the client is writing on this thread ({@code table}, the properties'
     * headers): when a publish {@linkplain #deferHeaders deferred} its ids, the table with
     * them ({@link #headers}), once; else {@code table} itself.
     */
    public static Map<String, Object> headersToWrite(Map<String, Object> table) {
        Span[] due = HEADERS_DUE.get();
        Span call = due == null ? null : due[0];
        if (call == null) {
            return table;
        }
        due[0] = null;
        return headers(call, table);
    }

    /** Ends the call: {@code rabbitmq.produce}, or {@code rabbitmq.produce.error} coded by {@link #code}. */
    public static void published(Span call, Throwable thrown) {
        if (call == null) {
            return;
        }
        Span[] due = HEADERS_DUE.get();
        if (due != null) {
            due[0] = null;   // not written (the publish failed before): no later table takes these ids
        }
        try {
            if (thrown != null) {
                call.code(code(thrown)).error(thrown);
            }
            call.close();
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /**
     * {@code x_code} of a failed operation: the AMQP reply code when the broker closed the
     * channel or connection ({@code 404} for a missing exchange or queue, {@code 406}, {@code 320}
     * …, read from the close method the client puts in its exception text), else the
     * exception's class name ({@code AlreadyClosedException} for a channel the application
     * closed, {@code IOException}, or the consumer's own exception).
     */
    public static String code(Throwable thrown) {
        if (thrown == null) {
            return "error";
        }
        Throwable t = thrown;
        for (int i = 0; i < 5 && t != null; i++, t = t.getCause()) {
            String reply = replyCode(t.getMessage());
            if (reply != null && !reply.equals("200")) {
                return reply;
            }
        }
        return thrown.getClass().getSimpleName();
    }

    /** The digits after {@code reply-code=} in a close method's text ({@code #method<channel.close>(reply-code=404, …)}). */
    static String replyCode(String text) {
        if (text == null) {
            return null;
        }
        int i = text.indexOf("reply-code=");
        if (i < 0) {
            return null;
        }
        int start = i + "reply-code=".length();
        int end = start;
        while (end < text.length() && end - start < 4 && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end > start ? text.substring(start, end) : null;
    }


    /** {@code basicConsume} registered {@code consumer} on {@code queue} of the broker {@code host}. */
    public static void consuming(Object consumer, String queue, String host) {
        if (consumer == null) {
            return;
        }
        CONSUMERS.put(consumer, new String[] {queue, host});
    }

    /** {@code {queue, host}} of a consumer registered by {@link #consuming}, or null. */
    static String[] consumer(Object consumer) {
        return consumer == null || CONSUMERS.isEmpty() ? null : CONSUMERS.get(consumer);
    }

    /** A header value as text: AMQP long strings (and strings) by {@code toString}, bytes as UTF-8. */
    static String text(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof byte[]) {
            return new String((byte[]) value, StandardCharsets.UTF_8);
        }
        return value.toString();
    }
}
