package io.rpctrace.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rpctrace.CollectingWriter;
import io.rpctrace.internal.AdviceErrors;
import io.rpctrace.internal.Tracing;
import io.rpctrace.metrics.MetricsRegistry;
import io.rpctrace.record.Record;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * rpctrace's own figures as {@code metric.counter} records every interval (docs/metrics.md,
 * docs/metrics.md), from a real ring writer, on a fake clock.
 */
class SelfFiguresTest {
    @TempDir
    Path dir;
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final CollectingWriter out = new CollectingWriter();

    private void collect(Record r) {
        out.publish(out.claim().copyFrom(r));
    }

    /** {@code x_module[/cause]} → count of the records written by one tick. */
    private Map<String, Long> tick(MetricsRegistry m, long advanceMs) {
        out.clear();
        m.tick(now.addAndGet(advanceMs));
        Map<String, Long> got = new HashMap<>();
        for (Map<String, Object> r : out.records()) {
            assertEquals("metric.counter", r.get("x_name"));
            Map<?, ?> x = (Map<?, ?>) r.get("x_extra");
            Object cause = x.get("cause");
            got.put(r.get("x_module") + (cause == null ? "" : "/" + cause), (Long) x.get("count"));
            assertEquals(10.0, x.get("interval_s"));
        }
        return got;
    }

    @Test
    void everyIntervalWritesWhatMovedDropsByCauseHighWaterBytesAndErrors() throws Exception {
        WriterSettings s = WriterSettings.defaults(dir, "orders");
        s.ringSize = 64;
        s.diagnostics = new TestFiles.Diagnostics().stream;
        RingFileWriter w = new RingFileWriter(s, false); // nothing drains until start
        AtomicLong internalErrors = new AtomicLong();
        MetricsRegistry m = new MetricsRegistry(100, 10_000, this::collect, null, now::get);
        Tracing.selfFigures(m, w, internalErrors);
        tick(m, 10_000); // a baseline: advice errors of earlier tests in this JVM

        for (int i = 0; i < 100; i++) {
            Record r = w.claim();
            if (r != null) {
                w.publish(r.name("log.info").traceId("t").rpcId("0.1").timestampMs(1L).module("m"));
            }
        }
        AdviceErrors.record(new IllegalStateException("test: an advice failed"));
        internalErrors.addAndGet(2);
        w.start();
        w.close(); // 64 records and the notice of the 36 drops
        Map<String, Long> got = tick(m, 10_000);

        Map<String, Long> want = new HashMap<>();
        want.put("rpctrace_records_written", 65L);
        want.put("rpctrace_writer_dropped/ring_full", 36L);
        want.put("rpctrace_ring_high_water", 64L);
        want.put("rpctrace_bytes_written", Files.size(w.path()));
        want.put("rpctrace_advice_errors", 1L);
        want.put("rpctrace_internal_errors", 2L);
        assertEquals(want, got);

        assertEquals(Map.of(), tick(m, 10_000), "nothing moved: nothing written");
        w.claim(); // after close
        assertEquals(Map.of("rpctrace_writer_dropped/closed", 1L), tick(m, 10_000));
        List<Map<String, Object>> none = out.records();
        assertEquals(1, none.size());
    }
}
