package io.rpctrace.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.record.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Module timers, caps and the interval clock, driven by a fake clock. */
class MetricsRegistryTest {
    private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
    private final CollectingWriter out = new CollectingWriter();
    private final Consumer<Record> sink = r -> {
        Record copy = out.claim().copyFrom(r);
        out.publish(copy);
    };

    private MetricsRegistry registry(int maxSeries) {
        return new MetricsRegistry(maxSeries, 10_000, sink, null, now::get);
    }

    private static Record call(String name, long nanos, String module, String host) {
        return new Record().name(name).traceId("t").rpcId("0", 2).durationNanos(nanos).module(module).host(host)
                .action("select * from t where id = 42");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> extra(Map<String, Object> rec) {
        return (Map<String, Object>) rec.get("x_extra");
    }

    @Test
    void timersKeepExactCountMinMaxSumAndPercentilesWithinTheBucketError() {
        MetricsRegistry m = registry(100);
        for (int i = 1; i <= 1000; i++) {
            m.observe(call("mysql.request", i * 1_000_000L, "order_dao_find", "127.0.0.1:3306"));
        }
        m.observe(call("mysql.request.error", 5_000_000L, "order_dao_find", "127.0.0.1:3306"));
        now.addAndGet(10_000);
        m.tick(now.get());

        List<Map<String, Object>> recs = out.records();
        assertEquals(1, recs.size(), recs.toString());
        Map<String, Object> r = recs.get(0);
        assertEquals("metric.timer", r.get("x_name"));
        assertEquals("mysql.request", r.get("x_action"), "keyed on the record type, never on the SQL");
        assertEquals("order_dao_find", r.get("x_module"));
        assertEquals("127.0.0.1:3306", r.get("x_host"));
        Map<String, Object> x = extra(r);
        assertEquals(1001L, x.get("count"));
        assertEquals(1L, x.get("errors"));
        assertEquals(0.001, (Double) x.get("min_s"), 1e-12);
        assertEquals(1.0, (Double) x.get("max_s"), 1e-12);
        assertEquals(500.5 + 0.005, (Double) x.get("sum_s"), 1e-6);
        assertWithin(0.501, (Double) x.get("p50_s"));
        assertWithin(0.901, (Double) x.get("p90_s"));
        assertWithin(0.991, (Double) x.get("p99_s"));
        assertTrue((Double) x.get("min_s") <= (Double) x.get("p50_s"));
        assertTrue((Double) x.get("p99_s") <= (Double) x.get("max_s"));
        assertEquals(10.0, x.get("interval_s"));
    }

    private static void assertWithin(double want, double got) {
        assertTrue(Math.abs(got - want) <= want / 16, "want " + want + " ±6.25% got " + got);
    }

    @Test
    void intervalsRollAtTheRightTimeAndQuietSeriesWriteNothing() {
        MetricsRegistry m = registry(100);
        m.timer("checkout").record(3, TimeUnit.MILLISECONDS);
        now.addAndGet(9_999);
        m.tick(now.get());
        assertEquals(0, out.lines().size(), "not before the interval ends");
        now.addAndGet(1);
        m.tick(now.get());
        assertEquals(1, out.lines().size());
        now.addAndGet(10_000);
        m.tick(now.get());
        assertEquals(1, out.lines().size(), "a quiet interval writes nothing");
    }

    @Test
    void seriesBeyondTheCapFoldIntoOtherWithExactCounts() {
        MetricsRegistry m = registry(10);
        for (int i = 0; i < 50; i++) {
            for (int k = 0; k < 3; k++) {
                m.observe(call("redis.request", 1000, "module_" + i, "127.0.0.1:6379"));
            }
        }
        m.flush();
        long total = 0;
        long other = 0;
        for (Map<String, Object> r : out.records()) {
            long c = (Long) extra(r).get("count");
            total += c;
            if ("other".equals(r.get("x_module"))) {
                other += c;
            }
        }
        assertEquals(150, total, "nothing dropped");
        assertEquals(120, other, "40 modules x 3 folded");
        assertEquals(11, out.records().size());
        assertEquals(120, m.folded(), "folded observations are counted");
    }

    @Test
    void eightThreadsTimesAMillionObservationsLoseNone() throws InterruptedException {
        MetricsRegistry m = registry(100);
        TimerSeries t = m.timer("hot");
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread th = new Thread(() -> {
                for (int k = 0; k < 1_000_000; k++) {
                    t.recordNanos(k & 1023, false);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        m.flush();
        assertEquals(8_000_000L, extra(out.records().get(0)).get("count"));
    }

    @Test
    void countersAndSelfFiguresWriteTheIntervalIncrease() {
        MetricsRegistry m = registry(100);
        AtomicLong dropped = new AtomicLong();
        m.selfFigure("writer_dropped", dropped::get);
        m.counter("orders_created").add(2);
        m.counter("orders_created").add(3);
        dropped.set(7);
        m.flush();
        dropped.set(9);
        m.flush();
        List<Map<String, Object>> recs = out.records();
        assertEquals(3, recs.size(), recs.toString());
        assertEquals("orders_created", recs.get(0).get("x_module"));
        assertEquals(5L, extra(recs.get(0)).get("count"));
        assertEquals("rpctrace_writer_dropped", recs.get(1).get("x_module"));
        assertEquals(7L, extra(recs.get(1)).get("count"));
        assertEquals(2L, extra(recs.get(2)).get("count"));
    }
}
