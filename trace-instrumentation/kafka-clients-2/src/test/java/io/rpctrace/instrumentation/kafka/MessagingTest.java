package io.rpctrace.instrumentation.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.context.Propagation;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The library-agnostic halves of the Kafka instrumentation: produce calls and per-message scopes. */
class MessagingTest {
    private CollectingWriter writer;

    @BeforeEach
    void start() {
        writer = CollectingWriter.startTracing();
    }

    /** A call class as the helper makes one, with a list of name/value pairs as its headers. */
    static final class ListCall extends ProduceCall {
        static final ProduceCall.Factory FACTORY = new ProduceCall.Factory() {
            @Override
            public ProduceCall newCall(Span span, Object client, Object callback) {
                return new ListCall(span, client);
            }
        };
        private static final Propagation.AsciiSetter<List<Object>> PAIRS = new Propagation.AsciiSetter<List<Object>>() {
            @Override
            public void set(List<Object> pairs, String name, String value) {
                setAscii(pairs, name, value.getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void setAscii(List<Object> pairs, String name, byte[] value) {
                pairs.add(name);
                pairs.add(value);
            }
        };

        ListCall(Span span, Object client) {
            super(span, client);
        }

        @Override
        @SuppressWarnings("unchecked")
        public void addHeaders(Object headers) {
            inject((List<Object>) headers, PAIRS);
        }
    }

    @Test
    void aProduceCallIsRule2AndEndsOnceWhicheverSideClaimsIt() {
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            ProduceCall call = ProduceCall.start(ListCall.FACTORY, "orders", null, null);
            List<Object> headers = new ArrayList<>();
            call.addHeaders(headers);
            assertEquals(6, headers.size());
            assertEquals("x-trace-id", headers.get(0));
            assertEquals(traceId, new String((byte[]) headers.get(1), StandardCharsets.UTF_8));
            assertEquals("x-rpc-id", headers.get(2));
            assertEquals("0.2", new String((byte[]) headers.get(3), StandardCharsets.UTF_8));
            assertEquals("traceparent", headers.get(4));
            assertEquals(Propagation.traceparent(traceId, "0.2"), new String((byte[]) headers.get(5), StandardCharsets.US_ASCII));
            assertTrue(call.claim());
            assertFalse(call.claim());   // the send's own failure check comes second: nothing more
            call.acked("127.0.0.1:9092", 1, 42, 7);
        }
        List<Map<String, Object>> produced = writer.named("kafka.produce");
        assertEquals(1, produced.size());
        Map<String, Object> r = produced.get(0);
        assertEquals("0.2", r.get("x_rpc_id"));
        assertEquals(traceId, r.get("x_trace_id"));
        assertEquals("orders", r.get("x_action"));
        assertEquals("127.0.0.1:9092", r.get("x_host"));
        assertEquals(7L, ((Number) r.get("x_response_len")).longValue());
        assertEquals(42L, ((Number) ((Map<?, ?>) r.get("x_extra")).get("offset")).longValue());
    }

    @Test
    void aFailedSendIsAnError() {
        ProduceCall call = ProduceCall.start(ListCall.FACTORY, "nope", null, null);
        assertTrue(call.claim());
        call.failed(new IllegalStateException("Topic nope not present in metadata"), null, -1);
        List<Map<String, Object>> failed = writer.named("kafka.produce.error");
        assertEquals(1, failed.size());
        assertEquals("0.1", failed.get(0).get("x_rpc_id"));   // outside a scope: rule 6
        assertEquals("IllegalStateException", failed.get(0).get("x_code"));
    }

    @Test
    void withoutACallClassNothingStartsAndNoIdIsTaken() {
        try (Span req = Trace.enter(null, null)) {
            assertEquals(null, ProduceCall.start(ProduceCall.Factory.NONE, "orders", null, null));
            assertEquals(null, ProduceCall.start(Object.class, "orders", null, null));   // no helper: none
            assertEquals("0.2", io.rpctrace.internal.SpanHooks.call("kafka.produce").rpcId());
        }
    }

    @Test
    void eachMessageTakenEntersItsOwnScopeAndNoneOutlivesTheIteration() {
        Object a = new Object();
        Object b = new Object();
        Object c = new Object();
        PolledBatch batch = new PolledBatch("billing", 2);
        batch.add(a, "orders", 0, 10,
                ConsumedHeaders.addHeader(ConsumedHeaders.addHeader(null, "x-trace-id", bytes("t-a")), "X-Rpc-Id", bytes("0.2")));
        batch.add(b, "orders", 0, 11, null);   // no headers: a new trace
        // c is not in the batch (added to the container by the application): no scope
        Object records = new Object();
        ConsumeScopes.polled(records, batch);
        List<String> seen = new ArrayList<>();
        Iterator<Object> it = ConsumeScopes.iterator(records, Arrays.asList(a, b, c).iterator());
        while (it.hasNext()) {
            it.next();
            seen.add(Trace.rpcId());
        }
        assertEquals("", Trace.rpcId());
        assertEquals("0.2.1", seen.get(0));
        assertEquals("0.1", seen.get(1));
        assertEquals("", seen.get(2));
        List<Map<String, Object>> consumed = writer.named("kafka.consume");
        assertEquals(2, consumed.size());
        assertEquals("t-a", consumed.get(0).get("x_trace_id"));
        assertEquals("0.2.1", consumed.get(0).get("x_rpc_id"));
        Map<?, ?> extra = (Map<?, ?>) consumed.get(0).get("x_extra");
        assertEquals("billing", extra.get("group"));
        assertEquals(10L, ((Number) extra.get("offset")).longValue());
    }

    @Test
    void aBatchHandedWholeToAListenerRunsInAScopeOfItsOwnThatEachMessageNames() {
        Object a = new Object();
        Object records = polled(a);
        ConsumeScopes.batchStarted();
        String batchTrace = Trace.traceId();
        // the container builds the listener's list from the iteration: the message's scope nests in the batch's
        Iterator<Object> it = ConsumeScopes.iterator(records, Collections.singletonList(a).iterator());
        it.next();
        assertEquals("0.1", Trace.rpcId());
        assertNotEquals(batchTrace, Trace.traceId());
        it.hasNext();
        assertEquals(batchTrace, Trace.traceId(), "the listener runs in the batch's scope");
        try (Span call = Trace.call("ledger.post")) {
            assertEquals("0.2", call.rpcId());
        }
        ConsumeScopes.batchEnded();
        assertEquals("", Trace.rpcId());
        Map<?, ?> extra = (Map<?, ?>) writer.named("kafka.consume").get(0).get("x_extra");
        assertEquals(batchTrace, extra.get("batch_trace_id"));
        assertEquals(batchTrace, writer.named("ledger.post").get(0).get("x_trace_id"));
    }

    /**
     * The container lists a poll's messages for a batch listener: their records stay open while
     * the listener runs in the batch's scope, end when it is done, and fail with it.
     */
    @Test
    void messagesListedForABatchListenerEndWithItAndFailWithIt() {
        Object a = new Object();
        Object b = new Object();
        PolledBatch batch = new PolledBatch("g", 2);
        batch.add(a, "orders", 0, 1, null);
        batch.add(b, "orders", 0, 2, null);
        Object records = new Object();
        ConsumeScopes.polled(records, batch);
        ConsumeScopes.batchStarted();
        String batchTrace = Trace.traceId();
        ConsumeScopes.listing();
        Iterator<Object> it = ConsumeScopes.iterator(records, Arrays.asList(a, b).iterator());
        it.next();
        assertEquals(batchTrace, Trace.traceId(), "a listed message's scope is not entered");
        it.next();
        it.hasNext();
        ConsumeScopes.listed();
        assertEquals(0, writer.named("kafka.consume").size(), "written when the listener is done");
        assertEquals("0.1", Trace.rpcId());
        ConsumeScopes.batchFailed(new IllegalStateException("ledger closed"));
        ConsumeScopes.batchEnded();
        ConsumeScopes.failureHandled();
        assertEquals("", Trace.rpcId());
        List<Map<String, Object>> failed = writer.named("kafka.consume.error");
        assertEquals(2, failed.size());
        for (Map<String, Object> r : failed) {
            assertEquals("IllegalStateException", r.get("x_code"));
            assertEquals(batchTrace, ((Map<?, ?>) r.get("x_extra")).get("batch_trace_id"));
        }
        assertNotEquals(failed.get(0).get("x_trace_id"), failed.get(1).get("x_trace_id"));
    }

    /**
     * A batch listener names the message that failed (Spring Kafka's {@code BatchListenerFailedException},
     * by index or by record): the messages before it were processed, it failed with the exception's
     * cause, and those after it were not processed (they are delivered again) and get no record.
     */
    @Test
    void aBatchListenerNamingTheFailedMessageFailsOnlyThatOne() {
        Object[] m = {new Object(), new Object(), new Object(), new Object()};
        listedForABatchListener(m);
        ConsumeScopes.batchFailed(new RuntimeException("Listener failed",
                new BatchListenerFailedException("item 1", new IllegalStateException("ledger closed"), 1)));
        ConsumeScopes.batchEnded();
        ConsumeScopes.failureHandled();
        List<Map<String, Object>> failed = writer.named("kafka.consume.error");
        assertEquals(1, failed.size());
        assertEquals("IllegalStateException", failed.get(0).get("x_code"));
        assertEquals(2, offset(failed.get(0)));
        List<Map<String, Object>> processed = writer.named("kafka.consume");
        assertEquals(1, processed.size(), "the message before it; the two after it were not processed");
        assertEquals(1, offset(processed.get(0)));
        assertEquals("", Trace.rpcId());

        writer.clear();
        listedForABatchListener(m);
        ConsumeScopes.batchFailed(new BatchListenerFailedException("this one", m[2]));
        ConsumeScopes.batchEnded();
        ConsumeScopes.failureHandled();
        assertEquals(1, writer.named("kafka.consume.error").size());
        assertEquals("BatchListenerFailedException", writer.named("kafka.consume.error").get(0).get("x_code"));
        assertEquals(3, offset(writer.named("kafka.consume.error").get(0)));
        assertEquals(2, writer.named("kafka.consume").size());

        writer.clear();
        listedForABatchListener(m);
        ConsumeScopes.batchFailed(new BatchListenerFailedException("out of range", null, 9));
        ConsumeScopes.batchEnded();
        ConsumeScopes.failureHandled();
        assertEquals(4, writer.named("kafka.consume.error").size(), "an index it cannot place: every message failed");
    }

    private static long offset(Map<String, Object> record) {
        return ((Number) ((Map<?, ?>) record.get("x_extra")).get("offset")).longValue();
    }

    /** Polls {@code messages} (offsets 1, 2, …) and lists them all for a batch listener that has started. */
    private static void listedForABatchListener(Object... messages) {
        PolledBatch batch = new PolledBatch("g", messages.length);
        for (int i = 0; i < messages.length; i++) {
            batch.add(messages[i], "orders", 0, i + 1, null);
        }
        Object records = new Object();
        ConsumeScopes.polled(records, batch);
        ConsumeScopes.batchStarted();
        ConsumeScopes.listing();
        Iterator<Object> it = ConsumeScopes.iterator(records, Arrays.asList(messages).iterator());
        while (it.hasNext()) {
            it.next();
        }
        ConsumeScopes.listed();
    }

    /** A batch listener iterating ConsumerRecords itself throws: the message it was processing failed. */
    @Test
    void aBatchListenerIteratingItselfFailsTheMessageItWasProcessing() {
        Object a = new Object();
        Object records = polled(a);
        ConsumeScopes.batchStarted();
        Iterator<Object> it = ConsumeScopes.iterator(records, Collections.singletonList(a).iterator());
        it.next();
        assertEquals("0.1", Trace.rpcId());
        ConsumeScopes.batchFailed(new IllegalStateException("ledger closed"));
        ConsumeScopes.batchEnded();
        ConsumeScopes.failureHandled();
        assertEquals("", Trace.rpcId());
        assertEquals("IllegalStateException", writer.named("kafka.consume.error").get(0).get("x_code"));
        assertEquals(0, writer.named("kafka.consume").size());
    }

    @Test
    void theNextPollEndsAMessageLeftOpen() {
        Object a = new Object();
        Object records = polled(a);
        Iterator<Object> it = ConsumeScopes.iterator(records, Collections.singletonList(a).iterator());
        it.next();
        assertEquals("0.1", Trace.rpcId());
        ConsumeScopes.pollStarted();
        assertEquals("", Trace.rpcId());
        assertEquals(1, writer.named("kafka.consume").size());
    }

    @Test
    void listsAndIterablesEnterScopesToo() {
        Object a = new Object();
        Object records = polled(a);
        List<String> seen = new ArrayList<>();
        ConsumeScopes.list(records, Collections.singletonList(a)).forEach(x -> seen.add(Trace.rpcId()));
        for (Object x : ConsumeScopes.iterable(records, Collections.singletonList(a))) {
            seen.add(Trace.rpcId());
        }
        assertEquals(Arrays.asList("0.1", "0.1"), seen);
        assertEquals("", Trace.rpcId());
        assertEquals(2, writer.named("kafka.consume").size());
    }

    @Test
    void aBatchIsFoundInAnyOrderAndAContainerNeverPolledIsLeftAlone() {
        Object[] msgs = {new Object(), new Object(), new Object()};
        PolledBatch batch = new PolledBatch(null, 3);
        for (int i = 0; i < 3; i++) {
            batch.add(msgs[i], "orders", 0, i, null);
        }
        Object records = new Object();
        ConsumeScopes.polled(records, batch);
        // records(partition) in another order than the poll's (the cursor wraps around)
        Iterator<Object> it = ConsumeScopes.iterator(records, Arrays.asList(msgs[2], msgs[0], msgs[1]).iterator());
        List<Number> offsets = new ArrayList<>();
        while (it.hasNext()) {
            it.next();
        }
        for (Map<String, Object> r : writer.named("kafka.consume")) {
            offsets.add((Number) ((Map<?, ?>) r.get("x_extra")).get("offset"));
        }
        assertEquals(Arrays.asList(2L, 0L, 1L), Arrays.asList(offsets.get(0).longValue(),
                offsets.get(1).longValue(), offsets.get(2).longValue()));
        Iterator<Object> plain = Arrays.asList(msgs).iterator();
        assertSame(plain, ConsumeScopes.iterator(new Object(), plain));
    }

    @Test
    void aThreadsPollsFillOneBatchAgainAndALargerPollGetsANewOne() {
        PolledBatch first = ConsumeScopes.batch("g", 2);
        first.add(new Object(), "orders", 0, 1, null);
        first.add(new Object(), "orders", 0, 2, null);
        PolledBatch second = ConsumeScopes.batch("h", 1);
        assertSame(first, second);
        assertEquals(0, second.size);
        assertNull(second.messages[0], "the earlier poll's messages are not held");
        assertNull(second.messages[1]);
        assertEquals("h", second.group);
        assertNotSame(second, ConsumeScopes.batch("h", 3));
    }

    /**
     * The next poll fills the header pairs arrays of the last one again (40 bytes a message not
     * made): a message without id headers in the place of one with them starts a trace of its
     * own, and a message that has them gets its own ids, never the earlier message's.
     */
    @Test
    void theNextPollFillsTheHeaderPairsAgainAndNoIdCarriesOver() {
        Object a1 = new Object();
        Object a2 = new Object();
        ConsumeScopes.pollStarted();
        PolledBatch first = ConsumeScopes.batch("g", 2);
        first.add(a1, "orders", 0, 1, ConsumedHeaders.addHeader(ConsumedHeaders.addHeader(first.pairsToFill(),
                "x-trace-id", bytes("trace-a1")), "x-rpc-id", bytes("0.3")));
        first.add(a2, "orders", 0, 2, ConsumedHeaders.addHeader(first.pairsToFill(), "x-trace-id", bytes("trace-a2")));
        Object records = new Object();
        ConsumeScopes.polled(records, first);
        Object[] pairsOfA1 = first.headers[0];
        Object[] pairsOfA2 = first.headers[1];
        for (Iterator<Object> it = ConsumeScopes.iterator(records, Arrays.asList(a1, a2).iterator()); it.hasNext(); ) {
            it.next();
        }
        ConsumeScopes.pollStarted();
        PolledBatch b = ConsumeScopes.batch("g", 2);
        Object b1 = new Object();
        Object b2 = new Object();
        Object[] refill = b.pairsToFill();
        assertSame(pairsOfA1, refill, "the array is filled again");
        assertNull(refill[0], "emptied by the poll");
        b.add(b1, "orders", 0, 1, refill);   // no id headers
        Object[] second = ConsumedHeaders.addHeader(b.pairsToFill(), "x-trace-id", bytes("trace-b2"));
        assertSame(pairsOfA2, second);
        b.add(b2, "orders", 0, 2, second);
        Object recordsB = new Object();
        ConsumeScopes.polled(recordsB, b);
        List<String> seen = new ArrayList<>();
        for (Iterator<Object> it = ConsumeScopes.iterator(recordsB, Arrays.asList(b1, b2).iterator()); it.hasNext(); ) {
            it.next();
            seen.add(Trace.traceId());
        }
        assertNotEquals("trace-a1", seen.get(0), "a message without ids starts its own trace");
        assertEquals("trace-b2", seen.get(1));
    }

    /** A poll of {@code messages} on this thread, each carrying {@code x-trace-id} {@code ids[i]}: its container. */
    private static Object poll(Object[] messages, String[] ids) {
        ConsumeScopes.pollStarted();
        PolledBatch b = ConsumeScopes.batch("g", messages.length);
        for (int i = 0; i < messages.length; i++) {
            b.add(messages[i], "orders", 0, i, ConsumedHeaders.addHeader(null, "x-trace-id",
                    ids[i].getBytes(StandardCharsets.UTF_8)));
        }
        Object records = new Object();
        ConsumeScopes.polled(records, b);
        return records;
    }

    /**
     * An application iterating one poll's records while it polls again on the same thread (a
     * long batch kept alive by polls of paused partitions, a poll loop inside the iteration):
     * the rest of the first poll's messages still enter their own scopes, with their own ids.
     */
    @Test
    void anIterationOfAnEarlierPollKeepsItsMessagesAfterTheNextPoll() {
        Object a1 = new Object();
        Object a2 = new Object();
        Object recordsA = poll(new Object[] {a1, a2}, new String[] {"trace-a1", "trace-a2"});
        Iterator<Object> itA = ConsumeScopes.iterator(recordsA, Arrays.asList(a1, a2).iterator());
        itA.next();
        assertEquals("trace-a1", Trace.traceId());
        poll(new Object[] {new Object(), new Object()}, new String[] {"trace-b1", "trace-b2"});
        itA.next();
        assertEquals("trace-a2", Trace.traceId(), "the second message of the first poll");
        assertFalse(itA.hasNext());
        assertEquals(2, writer.named("kafka.consume").size());
    }

    /** A list of one partition's records, handed to a worker thread that iterates it while the consumer polls on. */
    @Test
    void aPartitionsListIteratedOnAWorkerAfterTheNextPollKeepsItsIds() throws Exception {
        Object a1 = new Object();
        Object recordsA = poll(new Object[] {a1}, new String[] {"trace-a1"});
        List<Object> partition = ConsumeScopes.list(recordsA, Collections.singletonList(a1));
        poll(new Object[] {new Object()}, new String[] {"trace-b1"});
        String[] seen = new String[1];
        Thread worker = new Thread(() -> {
            for (Object m : partition) {
                seen[0] = Trace.traceId();
            }
        });
        worker.start();
        worker.join();
        assertEquals("trace-a1", seen[0]);
    }

    /**
     * Polls that return nothing (an idle consumer, or one closed while its thread lives on in a
     * pool) hold none of the last messages: they and their fetched buffers can be collected.
     */
    @Test
    void anEmptyPollLetsTheLastPollsMessagesGo() throws Exception {
        WeakReference<Object> ref = pollAndIterateOne();
        ConsumeScopes.pollStarted();   // the poll returns no records: its exit adds no batch
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(ref.get(), "the message is not held by the thread's batch");
    }

    /** A poll of one message, iterated to its end (in a frame of its own: no local keeps the message). */
    private static WeakReference<Object> pollAndIterateOne() {
        Object message = new Object();
        Object records = poll(new Object[] {message}, new String[] {"trace-a1"});
        for (Iterator<Object> it = ConsumeScopes.iterator(records, Collections.singletonList(message).iterator()); it.hasNext(); ) {
            it.next();
        }
        return new WeakReference<>(message);
    }

    private static Object polled(Object message) {
        PolledBatch batch = new PolledBatch(null, 1);
        batch.add(message, "orders", 0, 1, null);
        Object records = new Object();
        ConsumeScopes.polled(records, batch);
        return records;
    }

    /**
     * Polls one message with header {@code pairs} and iterates it: the trace id and call id of
     * its scope (the end of the iteration ends the scope and writes its record).
     */
    static String[] takeOne(Object[] pairs) {
        Object message = new Object();
        PolledBatch batch = new PolledBatch(null, 1);
        batch.add(message, "orders", 1, 5, pairs);
        Object records = new Object();
        ConsumeScopes.polled(records, batch);
        Iterator<Object> it = ConsumeScopes.iterator(records, Collections.singletonList(message).iterator());
        it.next();
        String[] ids = {Trace.traceId(), Trace.rpcId()};
        it.hasNext();
        return ids;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
