package io.rpctrace.instrumentation.rocketmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.context.Propagation;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The library-agnostic halves of the RocketMQ instrumentation: send calls, their properties, consume scopes. */
class RocketMqCallsTest {
    private CollectingWriter writer;

    @BeforeEach
    void start() {
        writer = CollectingWriter.startTracing("debug.token", "s3cret");
    }

    private static Object extra(Map<String, Object> record, String key) {
        Map<?, ?> extra = (Map<?, ?>) record.get("x_extra");
        return extra == null ? null : extra.get(key);
    }

    static Map<String, String> asMap(String[] pairs) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; pairs[i] != null; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    @Test
    void aSendIsRule2AndItsIdsAreUserPropertiesWithUnderscores() {
        String traceId;
        Map<String, String> props;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            ProduceCall call = ProduceCall.start("orders", "paid", "SYNC", 7);
            assertSame(call, ProduceCall.current());
            props = asMap(call.properties());
            call.sentTo("127.0.0.1:10911", "broker-a");
            assertSame(call, ProduceCall.endSend());
            assertNull(ProduceCall.current());
            assertTrue(call.claim());
            call.acked("SEND_OK", "ID1", 0, 42);
            assertFalse(call.claim(), "one record per send");
        }
        assertEquals(traceId, props.get("x_trace_id"));
        assertEquals("0.2", props.get("x_rpc_id"));
        assertTrue(props.get("traceparent").startsWith("00-" + traceId + "-"));
        assertNull(props.get("x_debug"));
        Map<String, Object> r = writer.named("rocketmq.produce").get(0);
        assertEquals("0.2", r.get("x_rpc_id"));
        assertEquals("orders", r.get("x_action"));
        assertEquals("127.0.0.1:10911", r.get("x_host"));
        assertEquals("paid", extra(r, "tags"));
        assertEquals("sync", extra(r, "mode"));
        assertEquals("broker-a", extra(r, "broker"));
        assertEquals("ID1", extra(r, "msg_id"));
        assertEquals(42L, ((Number) extra(r, "queue_offset")).longValue());
        assertEquals(7L, ((Number) r.get("x_response_len")).longValue());
        assertNull(r.get("x_code"));
    }

    @Test
    void debugModeSendsTheBoundTokenNeverTheSecret() {
        Map<String, String> in = new HashMap<>();
        in.put("X-Debug", "1");
        in.put("X-Debug-Token", "s3cret");
        Map<String, String> props;
        try (Span req = Trace.enter(in::get)) {
            ProduceCall call = ProduceCall.start("t", null, "ASYNC", -1);
            props = asMap(call.properties());
            ProduceCall.endSend();
            call.claim();
            call.acked(null, null, -1, -1);
        }
        assertEquals("1", props.get("x_debug"));
        assertNotEquals("s3cret", props.get("x_debug_token"));
        assertFalse(props.get("x_debug_token").contains("s3cret"));
    }

    @Test
    void anAsyncSendEndsWhenItsMessageIsAnswered() {
        Object message = new Object();
        try (Span req = Trace.enter(null, null)) {
            ProduceCall call = ProduceCall.start("t", null, "ASYNC", 1);
            call.pendingOn(message);
            ProduceCall.endSend();
            assertTrue(call.pending());
        }
        assertEquals(0, writer.named("rocketmq.produce").size());
        ProduceCall answered = ProduceCall.forMessage(message);
        assertNull(ProduceCall.forMessage(message), "unbound once answered");
        assertTrue(answered.claim());
        answered.failed(new IOException("broken"), 10002);
        Map<String, Object> r = writer.named("rocketmq.produce.error").get(0);
        assertEquals("10002", r.get("x_code"));
        assertEquals("0.2", r.get("x_rpc_id"));
    }

    @Test
    void failuresAreCodedByResponseCodeElseClassName() {
        assertEquals("10005", ProduceCall.code(new IllegalStateException(), 10005));
        assertEquals("17", ProduceCall.code(new IllegalStateException(), 17));
        assertEquals("IllegalStateException", ProduceCall.code(new IllegalStateException(), -1));
        assertEquals("error", ProduceCall.code(null, 0));
    }

    @Test
    void propertyNamesFollowTheCarrierTable() {
        assertEquals("x_trace_id", UserProperties.propertyName("X-Trace-Id"));
        assertEquals("x_rpc_id", UserProperties.propertyName("x-rpc-id"));
        assertEquals("x_debug_token", UserProperties.propertyName("X-DEBUG-TOKEN"));
        assertEquals("x-b3-traceid", UserProperties.propertyName("X-B3-TraceId"));
        assertEquals("traceparent", UserProperties.propertyName("traceparent"));
        List<String> carried = Arrays.asList(UserProperties.CARRIED);
        assertTrue(carried.containsAll(Arrays.asList("x_trace_id", "x_rpc_id", "x_debug", "x_debug_token",
                "traceparent", "tracestate", "x-request-id")), carried.toString());
        assertFalse(carried.contains("b3"));
    }

    @Test
    void propertiesOfOursInAnotherCaseAreScannedForOthersLookedUpOnly() {
        Map<String, String> props = new HashMap<>();
        // what a consumed message carries besides the ids: the library's own properties
        for (String k : new String[] {"UNIQ_KEY", "TAGS", "WAIT", "MIN_OFFSET", "MAX_OFFSET", "CLUSTER",
            "CONSUME_START_TIME", "TRACE_ON", "MSG_REGION"}) {
            props.put(k, "v");
        }
        props.put("x_trace_id", "0123456789abcdef0123456789abcdef");
        props.put("traceparent", "00-0123456789abcdef0123456789abcdef-0123456789abcdef-01");
        assertSame(UserProperties.EXACT, UserProperties.getterFor(props));
        assertEquals("0123456789abcdef0123456789abcdef", UserProperties.EXACT.get(props, Propagation.TRACE_ID));
        assertNull(UserProperties.EXACT.get(props, Propagation.TRACESTATE));
        props.put("X_RPC_ID", "0.4");
        assertSame(UserProperties.GETTER, UserProperties.getterFor(props));
        assertEquals("0.4", UserProperties.GETTER.get(props, Propagation.RPC_ID));
        props.put("x_rpc_id", "0.5");   // the exact name wins over another case
        assertEquals("0.5", UserProperties.GETTER.get(props, Propagation.RPC_ID));
        assertSame(UserProperties.EXACT, UserProperties.getterFor(null));
        assertSame(UserProperties.EXACT, UserProperties.getterFor(Collections.emptyMap()));
    }

    @Test
    void aStoreHostIsMadeOncePerBrokerAddress() {
        String host = ConsumeScopes.storeHost(new InetSocketAddress("127.0.0.1", 10911));
        assertEquals("127.0.0.1:10911", host);
        assertSame(host, ConsumeScopes.storeHost(new InetSocketAddress("127.0.0.1", 10911)));
        assertEquals("127.0.0.1:10912", ConsumeScopes.storeHost(new InetSocketAddress("127.0.0.1", 10912)));
        assertEquals("[0:0:0:0:0:0:0:1]:10911", ConsumeScopes.storeHost(new InetSocketAddress("::1", 10911)));
        assertNull(ConsumeScopes.storeHost(null));
    }

    @Test
    void aListenerProcessesAMessageOfOneInItsScopeCodedByItsAnswer() {
        Map<String, String> props = new HashMap<>();
        props.put("X_TRACE_ID", "0123456789abcdef0123456789abcdef");   // any case
        props.put("x_rpc_id", "0.4");
        ConsumeScopes.Batch b = ConsumeScopes.begin(1);
        b.add("orders", "paid", "ID1", props, 2, 0, 9, "127.0.0.1:10911", "broker-a", 3);
        assertEquals("0123456789abcdef0123456789abcdef", Trace.traceId());
        assertEquals("0.4.1", Trace.rpcId());
        try (Span call = Trace.call("inventory.reserve")) {
            assertEquals("0.4.2", call.rpcId());
        }
        ConsumeScopes.end("RECONSUME_LATER", "cg");
        assertEquals("", Trace.rpcId(), "the scope ends with the answer");
        assertFalse(ConsumeScopes.open());
        Map<String, Object> r = writer.named("rocketmq.consume.error").get(0);
        assertEquals("0.4.1", r.get("x_rpc_id"));
        assertEquals("RECONSUME_LATER", r.get("x_code"));
        assertEquals("listener asked to reconsume later", r.get("x_msg"));
        assertEquals("orders", r.get("x_action"));
        assertEquals("cg", extra(r, "group"));
        assertEquals(2L, ((Number) extra(r, "reconsume_times")).longValue());
        assertEquals("127.0.0.1:10911", r.get("x_host"));
    }

    @Test
    void onlyAConsumeRequestDescribingAnExceptionHandsItToTheBatch() {
        StackTraceElement threw = new StackTraceElement(ConsumeScopes.class.getName(), "listenerThrew", null, 1);
        StackTraceElement describe = new StackTraceElement("org.apache.rocketmq.common.UtilAll", "exceptionSimpleDesc",
                null, 1);
        assertTrue(ConsumeScopes.calledByConsumeRequest(new StackTraceElement[] {threw, describe, new StackTraceElement(
                "org.apache.rocketmq.client.impl.consumer.ConsumeMessageOrderlyService$ConsumeRequest", "run", null, 1)}));
        assertFalse(ConsumeScopes.calledByConsumeRequest(new StackTraceElement[] {threw, describe, new StackTraceElement(
                "org.apache.rocketmq.client.impl.producer.DefaultMQProducerImpl", "sendDefaultImpl", null, 1)}));
        // a listener's own code that fails while it runs is not the listener's answer
        ConsumeScopes.begin(1).add("t", null, "A", new HashMap<>(), 0, 0, 1, null, null, 1);
        ConsumeScopes.listenerThrew(new IllegalStateException("not from a consume request"));
        ConsumeScopes.end("SUSPEND_CURRENT_QUEUE_A_MOMENT", null);
        assertEquals("listener asked to suspend the queue a moment",
                writer.named("rocketmq.consume.error").get(0).get("x_msg"));
    }

    @Test
    void aBatchOfSeveralGetsARecordPerMessageAndItsListenerAScopeOfTheBatchsOwn() {
        Map<String, String> a = new HashMap<>();
        a.put("x_trace_id", "0123456789abcdef0123456789abcdea");
        a.put("x_rpc_id", "0.2");
        Map<String, String> b = new HashMap<>();
        b.put("x_trace_id", "0123456789abcdef0123456789abcdeb");
        b.put("x_rpc_id", "0.3");
        ConsumeScopes.Batch batch = ConsumeScopes.begin(2);
        batch.add("t", null, "A", a, 0, 0, 1, null, null, 1);
        batch.add("t", null, "B", b, 0, 0, 2, null, null, 1);
        // a batch's work belongs to no single message: a new trace of its own, as a request without caller ids
        String batchTrace = Trace.traceId();
        assertEquals(32, batchTrace.length());
        assertEquals("0.1", Trace.rpcId());
        try (Span call = Trace.call("inventory.reserve")) {
            assertEquals("0.2", call.rpcId());
        }
        ConsumeScopes.end("CONSUME_SUCCESS", null);
        assertEquals("", Trace.rpcId(), "the batch's scope ends with the answer");
        List<Map<String, Object>> rs = writer.named("rocketmq.consume");
        assertEquals(2, rs.size());
        assertEquals("0.3.1", rs.get(0).get("x_rpc_id"));
        assertEquals("0.2.1", rs.get(1).get("x_rpc_id"));
        assertEquals(batchTrace, extra(rs.get(0), "batch_trace_id"));
        assertEquals(batchTrace, extra(rs.get(1), "batch_trace_id"));
        assertEquals(batchTrace, writer.named("inventory.reserve").get(0).get("x_trace_id"));
    }

    @Test
    void aPolledMessageIsRecordedAtOnceAndTheCallersScopeStays() {
        Map<String, String> props = new HashMap<>();
        props.put("x_trace_id", "0123456789abcdef0123456789abcdef");
        props.put("x_rpc_id", "0.7");
        try (Span req = Trace.enter(null, null)) {
            String rpcId = Trace.rpcId();
            ConsumeScopes.polled().add("t", "x", "ID", props, 0, 1, 5, null, "broker-a", 4);
            assertEquals(rpcId, Trace.rpcId());
        }
        Map<String, Object> r = writer.named("rocketmq.consume").get(0);
        assertEquals("0123456789abcdef0123456789abcdef", r.get("x_trace_id"));
        assertEquals("0.7.1", r.get("x_rpc_id"));
    }
}
