package io.rpctrace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.context.Scope;
import io.rpctrace.record.Record;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The records of instrumentation's spans are reused once written, never shared, never leaking a field. */
class RecordPoolTest {
    private CollectingWriter writer;

    @BeforeEach
    void start() {
        writer = CollectingWriter.startTracing();
        drain();
    }

    @AfterEach
    void stop() {
        drain();
        CollectingWriter.resetTracing();
    }

    private static void drain() {
        while (RecordPool.size() > 0) {
            RecordPool.take();
        }
    }

    @Test
    void aGivenRecordIsTakenAgainCleared() {
        Record r = RecordPool.take();
        r.name("mysql.request").msg("boom").extra("partition", 3L);
        RecordPool.give(r);
        Record again = RecordPool.take();
        assertSame(r, again);
        assertNull(again.name());
        assertNull(again.msg());
        assertEquals(0, again.extraCount());
        assertNotSame(again, RecordPool.take());   // empty now: a new one
    }

    @Test
    void ringSlotsAndRecordsWithLargeExtrasAreNotKept() {
        RecordPool.give(new Record(3));
        assertEquals(0, RecordPool.size());
        Record big = new Record();
        for (int i = 0; i < RecordPool.MAX_POOLED_EXTRAS + 1; i++) {
            big.extra("k" + i, i);
        }
        RecordPool.give(big);
        assertEquals(0, RecordPool.size());
    }

    @Test
    void theRecordOfAClosedCallServesTheNextCallWithNothingOfItsFields() {
        try (Span req = Trace.enter(null, null)) {
            Span first = SpanHooks.call("grpc.request").action("shop.Orders/Get").msg("slow").extra("partition", 2L);
            first.close();
            first.close();                                   // a second close gives nothing back twice
            assertEquals(1, RecordPool.size());
            first.code("LATE").extra("late", 1L);            // a setter after close writes nowhere
            Span second = SpanHooks.call("grpc.request").action("shop.Orders/List");
            assertEquals(0, RecordPool.size());              // it took the first call's record
            second.code("OK").close();
        }
        List<Map<String, Object>> calls = writer.named("grpc.request");
        assertEquals(2, calls.size());
        assertEquals("0.2", calls.get(0).get("x_rpc_id"));
        assertEquals("shop.Orders/Get", calls.get(0).get("x_action"));
        assertEquals("slow", calls.get(0).get("x_msg"));
        assertNull(calls.get(0).get("x_code"));
        assertEquals(2L, ((Number) ((Map<?, ?>) calls.get(0).get("x_extra")).get("partition")).longValue());
        assertEquals("0.3", calls.get(1).get("x_rpc_id"));
        assertEquals("shop.Orders/List", calls.get(1).get("x_action"));
        assertEquals("OK", calls.get(1).get("x_code"));
        assertNull(calls.get(1).get("x_msg"));
        assertNull(calls.get(1).get("x_extra"));
    }

    /** An abandoned entry writes nothing, restores the scope before it and gives its record back; a later close is a no-op. */
    @Test
    void anAbandonedSpanWritesNothingAndGivesItsRecordBack() {
        try (Span req = Trace.enter(null, null)) {
            String outer = Trace.rpcId();
            Span message = SpanHooks.enterAs("kafka.consume", Scope.enter("0123456789abcdef0123456789abcdef", "0.4", false))
                    .action("orders");
            assertEquals("0.4.1", Trace.rpcId());
            SpanHooks.abandon(message);
            assertEquals(outer, Trace.rpcId());
            assertEquals(1, RecordPool.size());
            message.close();
            SpanHooks.abandon(message);
            assertEquals(1, RecordPool.size());
            Span closed = SpanHooks.call("grpc.request");
            closed.close();
            SpanHooks.abandon(closed);                       // closed already: written once, not given back twice
        }
        assertEquals(0, writer.named("kafka.consume").size());
        assertEquals(1, writer.named("grpc.request").size());
    }

    @Test
    void anApplicationsOwnSpanKeepsItsRecord() {
        try (Span req = Trace.enter(null, null)) {
            Trace.call("http.get").close();
        }
        assertEquals(0, RecordPool.size());
    }

    @Test
    void threadsTakingAndGivingAtOnceNeverShareARecord() throws InterruptedException {
        int threads = 4;
        int rounds = 20_000;
        Set<Record> held = Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            new Thread(() -> {
                try {
                    for (int i = 0; i < rounds; i++) {
                        Record r = RecordPool.take();
                        if (!held.add(r)) {
                            throw new AssertionError("one record handed to two takers");
                        }
                        held.remove(r);
                        RecordPool.give(r);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                } finally {
                    done.countDown();
                }
            }).start();
        }
        assertTrue(done.await(60, TimeUnit.SECONDS));
        assertEquals(List.of(), failures);
        assertTrue(RecordPool.size() <= RecordPool.CAPACITY);
        assertFalse(RecordPool.size() < 0);
    }
}
