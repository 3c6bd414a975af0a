package io.rpctrace.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.config.Config;
import io.rpctrace.internal.RecordPool;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.Record;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module timers are fed on the writer thread (docs/RATIONALE.md, "Module timers are fed on the
 * writer thread"): each record handed over is observed once, by the writer thread after it is
 * encoded, or by the producer when the ring drops it; records filled in place are not; and an
 * interval's figures wait for the writer, so a span finished before the interval ends is in it.
 */
class WriterObservesTest {
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        Tracing.start(Config.of(Collections.<String, String>emptyMap()), new CollectingWriter());
    }

    private WriterSettings settings() {
        WriterSettings s = WriterSettings.defaults(dir, "orders");
        s.diagnostics = new TestFiles.Diagnostics().stream;
        return s;
    }

    /** What the observer saw of one record, taken at once (the record goes back to the pool after). */
    private record Seen(String code, String name, Thread thread) {
    }

    private static Record span(Record r, int i) {
        return r.name("redis.request").traceId("4bf92f3577b34da6a3ce929d0e0e4736").rpcId("0", i + 1)
                .timestampMs(1763800000123L).durationNanos(1000L + i).module("cart").code(Integer.toString(i));
    }

    @Test
    void eachHandedOverRecordIsSeenOnceOnTheWriterThreadOrByTheProducerWhenDropped() {
        WriterSettings s = settings();
        s.ringSize = 16;
        RingFileWriter w = new RingFileWriter(s, false); // writer thread not started: the ring fills
        List<Seen> seen = Collections.synchronizedList(new ArrayList<>());
        assertTrue(w.observeHandedOver(r -> seen.add(new Seen(r.code(), r.name(), Thread.currentThread()))));
        for (int i = 0; i < 21; i++) {
            w.handOver(span(RecordPool.take(), i));
        }
        Record log = w.claim();
        assertEquals(null, log, "full");

        List<String> dropped = seen.stream().map(Seen::code).collect(Collectors.toList());
        assertEquals(List.of("16", "17", "18", "19", "20"), dropped, "the dropped ones, by the producer, before they go back");
        assertTrue(seen.stream().allMatch(x -> x.thread() == Thread.currentThread() && "redis.request".equals(x.name())));

        w.start();
        w.flush();
        assertEquals(21, seen.size(), "flush returns once the records handed over before it were seen");
        List<Seen> written = seen.subList(5, 21);
        for (int i = 0; i < 16; i++) {
            Seen x = written.get(i);
            assertEquals(Integer.toString(i), x.code(), "in ring order, once each");
            assertEquals("redis.request", x.name(), "seen whole, before the pool clears it");
            assertNotEquals(Thread.currentThread(), x.thread());
            assertTrue(x.thread().getName().startsWith("rpctrace-writer-"), x.thread().getName());
        }

        Record inPlace = w.claim();
        w.publish(span(inPlace, 99));
        w.close();
        assertEquals(21, seen.size(), "a record filled in place is not handed over: the caller observes it");
    }

    @Test
    void anIntervalWaitsForTheWriterSoASpanFinishedBeforeItIsInIt() {
        WriterSettings s = settings();
        s.flushIntervalMs = 60_000; // the writer sleeps a whole minute between batches unless asked
        RingFileWriter w = new RingFileWriter(s);
        Tracing tracing = Tracing.start(Config.of(Collections.<String, String>emptyMap()), w);
        for (int i = 0; i < 3; i++) {
            tracing.emitPooled(span(RecordPool.take(), i));
        }
        tracing.metrics().flush();
        w.close();

        List<Map<String, Object>> timers = TestFiles.named(w.path(), "metric.timer").stream()
                .filter(t -> "cart".equals(t.get("x_module"))).collect(Collectors.toList());
        assertEquals(1, timers.size(), timers.toString());
        assertEquals(3L, ((Number) ((Map<?, ?>) timers.get(0).get("x_extra")).get("count")).longValue());
        assertEquals("redis.request", timers.get(0).get("x_action"));
    }
}
