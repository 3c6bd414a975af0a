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

    /**
     * A served request's per-client-IP figures come from its handed-over record, on the writer
     * thread, once each: the request's bytes, its status and its failure are all there.
     */
    @Test
    void servedRequestsAreCountedPerClientIpOnceFromTheirHandedOverRecords() {
        WriterSettings s = settings();
        s.flushIntervalMs = 60_000;
        RingFileWriter w = new RingFileWriter(s);
        java.util.Map<String, String> cfg = new java.util.HashMap<>();
        cfg.put("ipstats.windows", "1h");
        cfg.put("metrics.interval.s", "3600");
        Tracing.start(Config.of(cfg), w);
        served("10.0.0.1", 120, 30, "200", false);
        served("10.0.0.1", 7, 11, "400", false);
        served("10.0.0.2", 0, 5, "200", true);
        Tracing.get().metrics().close(); // waits for the writer, then writes the open windows
        w.close();

        Map<String, Map<?, ?>> byIp = new java.util.HashMap<>();
        for (Map<String, Object> r : TestFiles.named(w.path(), "metric.ip")) {
            assertEquals(null, byIp.put((String) r.get("x_client_ip"), (Map<?, ?>) r.get("x_extra")), "one line per IP");
        }
        assertEquals(2, byIp.size(), byIp.toString());
        Map<?, ?> a = byIp.get("10.0.0.1");
        assertEquals(2L, ((Number) a.get("requests")).longValue(), "counted once each");
        assertEquals(127L, ((Number) a.get("bytes_in")).longValue());
        assertEquals(41L, ((Number) a.get("bytes_out")).longValue());
        assertEquals(1L, ((Number) a.get("bad_requests")).longValue());
        assertEquals(0L, ((Number) a.get("errors")).longValue());
        Map<?, ?> b = byIp.get("10.0.0.2");
        assertEquals(1L, ((Number) b.get("requests")).longValue());
        assertEquals(1L, ((Number) b.get("errors")).longValue(), "a failed request is an error whatever its status");
        assertEquals(3, TestFiles.named(w.path(), "request.info").size()
                + TestFiles.named(w.path(), "request.info.error").size(), "and each request's own record");
    }

    private static void served(String ip, long in, long out, String code, boolean failed) {
        io.rpctrace.Span span = io.rpctrace.internal.SpanHooks.enter(io.rpctrace.context.Scope.newRoot());
        io.rpctrace.internal.SpanHooks.requestLen(span, in);
        span.clientIp(ip).responseLen(out).code(code);
        if (failed) {
            span.failed();
        }
        span.close();
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
