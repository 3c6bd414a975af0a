package io.rpctrace.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.instrumentation.kafka.ProduceCall;
import io.rpctrace.internal.SpanHooks;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The send's callback: ends the call first, then runs the application's callback; headers replaced, not doubled. */
class SendCallbackTest {
    private CollectingWriter writer;

    @BeforeEach
    void start() {
        writer = CollectingWriter.startTracing();
    }

    private static ProduceCall call(Callback application) {
        return new SendCallback.Factory().newCall(SpanHooks.call("kafka.produce").action("orders"), null, application);
    }

    @Test
    void theRecordIsWrittenBeforeTheApplicationsCallbackRuns() {
        List<String> seen = new ArrayList<>();
        String traceId;
        ProduceCall call;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            call = call((md, e) -> seen.add(writer.named("kafka.produce").size() + " " + md.offset() + " " + e));
        }
        @SuppressWarnings("deprecation")
        RecordMetadata md = new RecordMetadata(new TopicPartition("orders", 1), 40, 2, 0L, null, 1, 7);
        ((Callback) call).onCompletion(md, null);
        assertEquals(Arrays.asList("1 42 null"), seen);
        assertFalse(call.claim(), "the send's failure check finds the call ended");
        Map<String, Object> r = writer.named("kafka.produce").get(0);
        assertEquals(traceId, r.get("x_trace_id"));
        assertEquals("0.2", r.get("x_rpc_id"));
        assertEquals(7L, ((Number) r.get("x_response_len")).longValue());
        assertEquals(1L, ((Number) ((Map<?, ?>) r.get("x_extra")).get("partition")).longValue());
        assertEquals(42L, ((Number) ((Map<?, ?>) r.get("x_extra")).get("offset")).longValue());
    }

    @Test
    void aFailureIsAnErrorAndWithoutAnApplicationCallbackNothingElseRuns() {
        ProduceCall call = call(null);
        ((Callback) call).onCompletion(null, new org.apache.kafka.common.errors.TimeoutException("expired"));
        List<Map<String, Object>> failed = writer.named("kafka.produce.error");
        assertEquals(1, failed.size());
        assertEquals("TimeoutException", failed.get(0).get("x_code"));
        assertEquals("0.1", failed.get(0).get("x_rpc_id"));
    }

    @Test
    void aSendRefusedBeforeAPartitionWasChosenIsAnErrorWithoutOne() {
        long adviceErrors = io.rpctrace.internal.AdviceErrors.count();
        ProduceCall call = call(null);
        @SuppressWarnings("deprecation")
        RecordMetadata none = new RecordMetadata(null, -1, -1, -1L, null, -1, -1);   // what 3.x's doSend hands the callback
        ((Callback) call).onCompletion(none, new org.apache.kafka.common.errors.RecordTooLargeException("too large"));
        List<Map<String, Object>> failed = writer.named("kafka.produce.error");
        assertEquals(1, failed.size());
        assertEquals("RecordTooLargeException", failed.get(0).get("x_code"));
        assertNull(failed.get(0).get("x_extra"));
        assertEquals(adviceErrors, io.rpctrace.internal.AdviceErrors.count());
    }

    @Test
    void headersOfAnEarlierSendAreReplacedAndReadOnlyOnesRefused() {
        RecordHeaders headers = new RecordHeaders();
        headers.add("app", new byte[] {1});
        headers.add("x-rpc-id", "0.9".getBytes(StandardCharsets.UTF_8));
        ProduceCall call;
        try (Span req = Trace.enter(null, null)) {
            call = call(null);
            call.addHeaders(headers);
        }
        assertEquals(4, headers.toArray().length);   // app, x-trace-id, x-rpc-id, traceparent
        assertEquals("0.2", new String(headers.lastHeader("x-rpc-id").value(), StandardCharsets.UTF_8));
        assertEquals(1, countOf(headers, "x-rpc-id"));
        headers.setReadOnly();
        assertThrows(IllegalStateException.class, () -> call.addHeaders(headers));
    }

    @Test
    void theSendsOfOneRequestShareItsTraceIdHeaderAndNoOther() {
        RecordHeaders first = new RecordHeaders();
        RecordHeaders second = new RecordHeaders();
        RecordHeaders otherTrace = new RecordHeaders();
        try (Span req = Trace.enter(null, null)) {
            call(null).addHeaders(first);
            call(null).addHeaders(second);
        }
        try (Span req = Trace.enter(null, null)) {
            call(null).addHeaders(otherTrace);
        }
        assertSame(first.lastHeader("x-trace-id"), second.lastHeader("x-trace-id"), "one header object per request");
        assertNotSame(first.lastHeader("x-trace-id"), otherTrace.lastHeader("x-trace-id"));
        assertNotEquals(new String(first.lastHeader("x-trace-id").value(), StandardCharsets.UTF_8),
                new String(otherTrace.lastHeader("x-trace-id").value(), StandardCharsets.UTF_8));
        assertNotSame(first.lastHeader("x-rpc-id"), second.lastHeader("x-rpc-id"));
        assertEquals("0.2", new String(first.lastHeader("x-rpc-id").value(), StandardCharsets.UTF_8));
        assertEquals("0.3", new String(second.lastHeader("x-rpc-id").value(), StandardCharsets.UTF_8));
    }

    @Test
    void theAgentsHeadersHashAndPrintAsKafkasOwn() {
        byte[] v = "0.1".getBytes(StandardCharsets.UTF_8);
        org.apache.kafka.common.header.Header ours = SendCallback.header("x-rpc-id", v);
        RecordHeader kafkas = new RecordHeader("x-rpc-id", v);
        assertEquals(kafkas.hashCode(), ours.hashCode());
        assertEquals(kafkas.toString(), ours.toString());
        assertEquals(ours, new RecordHeader("x-rpc-id", v.clone()));
        assertNotEquals(ours, new RecordHeader("x-rpc-id", new byte[] {1}));
    }

    /** The call is its message's x-rpc-id header (no header object of its own), and reads as Kafka's would. */
    @Test
    void theCallIsItsXRpcIdHeader() {
        RecordHeaders headers = new RecordHeaders();
        ProduceCall call;
        try (Span req = Trace.enter(null, null)) {
            call = call(null);
            call.addHeaders(headers);
        }
        org.apache.kafka.common.header.Header rpcId = headers.lastHeader("x-rpc-id");
        assertSame(call, rpcId);
        byte[] v = "0.2".getBytes(StandardCharsets.UTF_8);
        RecordHeader kafkas = new RecordHeader("x-rpc-id", v);
        assertEquals(rpcId, kafkas);   // (RecordHeader.equals wants its own class, for IdHeader too)
        assertEquals(kafkas.hashCode(), rpcId.hashCode());
        assertEquals(kafkas.toString(), rpcId.toString());
        RecordHeaders copy = new RecordHeaders();
        copy.add("x-rpc-id", v.clone());
        assertEquals(headers.lastHeader("x-rpc-id"), copy.lastHeader("x-rpc-id"));
        // sent again: the next call replaces it
        ProduceCall again;
        try (Span req = Trace.enter(null, null)) {
            again = call(null);
            again.addHeaders(headers);
        }
        assertSame(again, headers.lastHeader("x-rpc-id"));
        assertEquals(1, countOf(headers, "x-rpc-id"));
    }

    @Test
    void theLeaderIsFoundInAnyOrderOfPartitions() {
        Node a = new Node(1, "10.0.0.1", 9092);
        Node b = new Node(2, "10.0.0.2", 9093);
        List<PartitionInfo> parts = Arrays.asList(new PartitionInfo("t", 1, b, null, null),
                new PartitionInfo("t", 0, a, null, null), new PartitionInfo("t", 2, Node.noNode(), null, null));
        assertEquals("10.0.0.1:9092", SendCallback.leader(parts, 0));
        assertEquals("10.0.0.2:9093", SendCallback.leader(parts, 1));
        assertNull(SendCallback.leader(parts, 2), "no leader");
        assertNull(SendCallback.leader(parts, 5), "unknown partition");
    }

    private static int countOf(RecordHeaders headers, String name) {
        int n = 0;
        for (org.apache.kafka.common.header.Header h : headers) {
            n += h.key().equals(name) ? 1 : 0;
        }
        return n;
    }
}
