package io.rpctrace.instrumentation.rabbitmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The library-agnostic halves of the RabbitMQ instrumentation: publish calls, their headers, delivery scopes. */
class AmqpCallsTest {
    private CollectingWriter writer;

    @BeforeEach
    void start() {
        writer = CollectingWriter.startTracing("debug.token", "s3cret");
    }

    private static Object extra(Map<String, Object> record, String key) {
        Map<?, ?> extra = (Map<?, ?>) record.get("x_extra");
        return extra == null ? null : extra.get(key);
    }

    @Test
    void aPublishIsRule2AndItsIdsGoInACopyOfTheHeaders() throws Exception {
        Map<String, Object> app = Collections.<String, Object>singletonMap("tenant", "acme");   // unmodifiable
        String traceId;
        Map<String, Object> sent;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            String host = AmqpCalls.host(new Object(), InetAddress.getByName("127.0.0.1"), 5672);
            Span call = AmqpCalls.publish("", "orders", host, 7);
            sent = AmqpCalls.headers(call, app);
            AmqpCalls.published(call, null);
        }
        assertEquals(Collections.singletonMap("tenant", "acme"), app);
        assertEquals("acme", sent.get("tenant"));
        assertEquals(traceId, sent.get("x-trace-id"));
        assertEquals("0.2", sent.get("x-rpc-id"));
        assertTrue(((String) sent.get("traceparent")).startsWith("00-" + traceId + "-"));
        assertNull(sent.get("x-debug"));
        // what the client's BasicProperties constructor makes of it: a copy with the same four entries
        Map<String, Object> copy = new HashMap<>(sent);
        assertEquals(4, copy.size());
        assertEquals(sent, copy);
        assertEquals(copy.hashCode(), sent.hashCode());
        Map<String, Object> r = writer.named("rabbitmq.produce").get(0);
        assertEquals("0.2", r.get("x_rpc_id"));
        assertEquals("amq.default", r.get("x_action"));
        assertEquals("orders", extra(r, "routing_key"));
        assertEquals("127.0.0.1:5672", r.get("x_host"));
        assertEquals(7L, ((Number) r.get("x_response_len")).longValue());
    }

    /**
     * Properties with headers are not copied: the publish hands its ids to the header table the
     * client writes next on this thread, once; a table written outside a publish, or after a
     * publish that failed before writing, is left as it is.
     */
    @Test
    void aDeferredPublishPutsItsIdsIntoTheNextTableWrittenOnItsThreadOnce() {
        Map<String, Object> app = Collections.<String, Object>singletonMap("tenant", "acme");
        assertTrue(AmqpCalls.headersToWrite(app) == app, "no publish: the table as it is");
        Map<String, Object> written;
        Map<String, Object> again;
        try (Span req = Trace.enter(null, null)) {
            Span call = AmqpCalls.publish("shop", "rk", null, -1);
            AmqpCalls.deferHeaders(call);
            written = AmqpCalls.headersToWrite(app);
            again = AmqpCalls.headersToWrite(app);
            AmqpCalls.published(call, null);
            Span failed = AmqpCalls.publish("shop", "rk", null, -1);
            AmqpCalls.deferHeaders(failed);
            AmqpCalls.published(failed, new IOException("channel closed"));   // before any table was written
        }
        assertEquals(Collections.singletonMap("tenant", "acme"), app);
        assertEquals("acme", written.get("tenant"));
        assertEquals("0.2", written.get("x-rpc-id"));
        assertEquals(4, written.size());
        assertTrue(again == app, "the ids go into one table only");
        assertTrue(AmqpCalls.headersToWrite(app) == app, "a failed publish leaves no ids for a later table");
        assertEquals(2, writer.named("rabbitmq.produce").size() + writer.named("rabbitmq.produce.error").size());
    }

    @Test
    void aMessagePublishedOnKeepsNoneOfItsOldIds() {
        Map<String, Object> old = new HashMap<>();
        old.put("X-Trace-Id", "0123456789abcdef0123456789abcdef");
        old.put("x-rpc-id", "0.9");
        old.put("X-Debug-Token", "forged");
        old.put("keep", 1);
        Map<String, Object> sent;
        try (Span req = Trace.enter(null, null)) {
            Span call = AmqpCalls.publish("shop", "rk", null, -1);
            sent = AmqpCalls.headers(call, old);
            AmqpCalls.published(call, null);
        }
        assertFalse(sent.containsKey("X-Trace-Id"));
        assertFalse(sent.containsKey("X-Debug-Token"));
        assertEquals("0.2", sent.get("x-rpc-id"));
        assertEquals(1, sent.get("keep"));
        assertEquals(4, old.size());
    }

    @Test
    void aDebugTraceSendsTheTokenBoundToItsTraceNeverTheSecret() {
        Map<String, String> in = new HashMap<>();
        in.put("X-Debug", "1");
        in.put("X-Debug-Token", "s3cret");
        Map<String, Object> sent;
        try (Span req = Trace.enter(in::get)) {
            assertTrue(req.debug());
            Span call = AmqpCalls.publish("shop", "rk", null, -1);
            sent = AmqpCalls.headers(call, null);
            AmqpCalls.published(call, null);
        }
        assertEquals("1", sent.get("x-debug"));
        String token = (String) sent.get("x-debug-token");
        assertFalse(token == null || token.isEmpty() || token.contains("s3cret"), String.valueOf(token));
        // the consumer side verifies it
        Span consume = AmqpDeliveries.delivered(new Object(), "shop", "rk", 1, false, sent, 0);
        assertTrue(Trace.isDebug());
        AmqpDeliveries.processed(consume, null);
        assertFalse(Trace.isDebug());
    }

    @Test
    void aDeliveryIsRule1UnderThePublishersCallIdAndItsCallsNest() {
        Object consumer = new Object();
        AmqpCalls.consuming(consumer, "orders-q", "127.0.0.1:5672");
        Map<String, Object> headers = new HashMap<>();
        headers.put("x-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736");
        headers.put("x-rpc-id", "0.3".getBytes(StandardCharsets.UTF_8));   // bytes are read as UTF-8
        Span s = AmqpDeliveries.delivered(consumer, "", "orders-q", 5, true, headers, 3);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", Trace.traceId());
        assertEquals("0.3.1", Trace.rpcId());
        Trace.call("mysql.request").close();
        AmqpDeliveries.processed(s, new IllegalStateException("boom"));
        assertEquals("", Trace.rpcId());
        Map<String, Object> r = writer.named("rabbitmq.consume.error").get(0);
        assertEquals("0.3.1", r.get("x_rpc_id"));
        assertEquals("orders-q", r.get("x_action"));
        assertEquals("amq.default", extra(r, "exchange"));
        assertEquals(5L, ((Number) extra(r, "delivery_tag")).longValue());
        assertEquals(1L, ((Number) extra(r, "redelivered")).longValue());
        assertEquals("IllegalStateException", r.get("x_code"));
        assertEquals("127.0.0.1:5672", r.get("x_host"));
        assertEquals("0.3.2", writer.named("mysql.request").get(0).get("x_rpc_id"));
    }

    @Test
    void aListenerFailureReportedInsideADeliveryMakesThatDeliveryAnErrorOnly() {
        Span s = AmqpDeliveries.delivered(new Object(), "", "orders-q", 1, false, new HashMap<>(), 3);
        AmqpDeliveries.listenerFailed(new IllegalArgumentException("bad order"));   // the container handled it
        AmqpDeliveries.processed(s, AmqpDeliveries.takeListenerFailure(s, null));
        Span next = AmqpDeliveries.delivered(new Object(), "", "orders-q", 2, false, new HashMap<>(), 3);
        AmqpDeliveries.processed(next, AmqpDeliveries.takeListenerFailure(next, null));
        Map<String, Object> failed = writer.named("rabbitmq.consume.error").get(0);
        assertEquals("IllegalArgumentException", failed.get("x_code"));
        assertEquals(1L, ((Number) extra(failed, "delivery_tag")).longValue());
        assertEquals(1, writer.named("rabbitmq.consume").size(), "the next delivery is not the failed one");
    }

    @Test
    void aBasicGetMessageIsProcessedInItsScopeUntilSettledOrTheNextGet() {
        Object channel = new Object();
        Map<String, Object> headers = new HashMap<>();
        headers.put("x-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736");
        headers.put("x-rpc-id", "0.2");
        AmqpDeliveries.getStarted();
        AmqpDeliveries.got(channel, "q", null, "", "q", 7, false, headers, 1);
        assertEquals("0.2.1", Trace.rpcId());
        AmqpDeliveries.settled(new Object(), 7, false);   // another channel's tag 7
        AmqpDeliveries.settled(channel, 6, false);
        assertTrue(AmqpDeliveries.open());
        AmqpDeliveries.settled(channel, 7, false);
        assertFalse(AmqpDeliveries.open());
        assertEquals("", Trace.rpcId());

        AmqpDeliveries.got(channel, "q", null, "", "q", 8, false, headers, 1);
        AmqpDeliveries.getStarted();                       // the next get ends it
        assertEquals("", Trace.rpcId());
        assertEquals(2, writer.named("rabbitmq.consume").size());
    }

    @Test
    void aBasicGetInsideARequestKeepsTheRequestsScope() {
        Map<String, Object> headers = new HashMap<>();
        headers.put("x-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736");
        headers.put("x-rpc-id", "0.2");
        try (Span req = Trace.enter("aaaabbbbccccddddeeeeffff00001111", "0.4")) {
            AmqpDeliveries.got(new Object(), "q", null, "", "q", 1, false, headers, 1);
            assertFalse(AmqpDeliveries.open());
            assertEquals("0.4.1", Trace.rpcId());
        }
        Map<String, Object> r = writer.named("rabbitmq.consume").get(0);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", r.get("x_trace_id"));
        assertEquals("0.2.1", r.get("x_rpc_id"));
    }

    @Test
    void failuresAreCodedByTheBrokersReplyCodeElseTheExceptionClass() {
        String missing = "channel error; protocol method: #method<channel.close>(reply-code=404, "
                + "reply-text=NOT_FOUND - no exchange 'nope' in vhost '/', class-id=60, method-id=40)";
        assertEquals("404", AmqpCalls.code(new IllegalStateException(missing)));
        assertEquals("404", AmqpCalls.code(new IOException(null, new RuntimeException(missing))));
        String clean = "channel is already closed due to clean channel shutdown; protocol method: "
                + "#method<channel.close>(reply-code=200, reply-text=OK, class-id=0, method-id=0)";
        assertEquals("IllegalStateException", AmqpCalls.code(new IllegalStateException(clean)));
        assertEquals("IOException", AmqpCalls.code(new IOException("reply-code=")));
        assertNull(AmqpCalls.replyCode(null));
    }
}
