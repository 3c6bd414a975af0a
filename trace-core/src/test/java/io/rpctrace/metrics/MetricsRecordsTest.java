package io.rpctrace.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.record.Record;
import io.rpctrace.record.RecordEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/metrics.md: metric.counter and metric.timer records written by
 * {@link MetricsRegistry#flush()}.
 */
class MetricsRecordsTest {
    /** Long enough that the background thread never flushes during a test. */
    private static final long INTERVAL_MS = 3_600_000;

    private final RecordEncoder encoder = new RecordEncoder(null, "test-1.0", "42", 64 * 1024);
    private final List<Map<String, Object>> records = new ArrayList<>();
    private final MetricsRegistry registry = new MetricsRegistry(2000, INTERVAL_MS, this::collect);

    private synchronized void collect(Record r) {
        int n = encoder.encode(r);
        records.add(CollectingWriter.parse(new String(encoder.buffer(), 0, n, StandardCharsets.UTF_8)));
    }

    @AfterEach
    void close() {
        registry.close();
    }

    private List<Map<String, Object>> flush() {
        records.clear();
        registry.flush();
        return new ArrayList<>(records);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> extra(Map<String, Object> record) {
        return (Map<String, Object>) record.get("x_extra");
    }

    @Test
    void aCounterWritesTheIntervalsSum() {
        CounterSeries orders = registry.counter("orders_created");
        assertSame(orders, registry.counter("orders_created"));
        orders.add(3);
        orders.add(4);
        orders.increment();

        List<Map<String, Object>> got = flush();
        assertEquals(1, got.size());
        Map<String, Object> r = got.get(0);
        assertEquals("metric.counter", r.get("x_name"));
        assertEquals("orders_created", r.get("x_module"));
        assertEquals("0.1", r.get("x_rpc_id"));
        assertEquals(8L, extra(r).get("count"));
        assertEquals(3600.0, extra(r).get("interval_s"));
        assertInstanceOf(Double.class, extra(r).get("interval_s"));

        assertEquals(List.of(), flush(), "an untouched counter writes nothing");
        orders.add(0);
        assertEquals(0L, extra(flush().get(0)).get("count"), "touched but zero is still written");
    }

    @Test
    void aTimerWritesCountErrorsSumMinMaxAndPercentiles() {
        TimerSeries checkout = registry.timer("checkout");
        for (int ms = 1; ms <= 100; ms++) {
            checkout.record(ms, TimeUnit.MILLISECONDS);
        }
        checkout.recordError(250, TimeUnit.MILLISECONDS);

        List<Map<String, Object>> got = flush();
        assertEquals(1, got.size());
        Map<String, Object> r = got.get(0);
        assertEquals("metric.timer", r.get("x_name"));
        assertEquals("checkout", r.get("x_action"));
        Map<String, Object> x = extra(r);
        assertEquals(Arrays.asList("count", "errors", "sum_s", "min_s", "max_s", "p50_s", "p90_s", "p99_s",
                "interval_s"), new ArrayList<>(x.keySet()));
        assertEquals(101L, x.get("count"));
        assertEquals(1L, x.get("errors"));
        for (String k : new String[] {"sum_s", "min_s", "max_s", "p50_s", "p90_s", "p99_s", "interval_s"}) {
            assertInstanceOf(Double.class, x.get(k), k + " is a float");
        }
        assertEquals(5.3, (Double) x.get("sum_s"), 1e-9);
        assertEquals(0.001, (Double) x.get("min_s"), 1e-9);
        assertEquals(0.25, (Double) x.get("max_s"), 1e-9);
        double min = (Double) x.get("min_s");
        double p50 = (Double) x.get("p50_s");
        double p90 = (Double) x.get("p90_s");
        double p99 = (Double) x.get("p99_s");
        double max = (Double) x.get("max_s");
        assertTrue(min <= p50 && p50 <= p90 && p90 <= p99 && p99 <= max,
                min + " <= " + p50 + " <= " + p90 + " <= " + p99 + " <= " + max);
        assertEquals(0.051, p50, 0.051 * 0.0625, "p50 within one bucket (6.25%)");
        assertEquals(0.091, p90, 0.091 * 0.0625, "p90 within one bucket");

        assertEquals(List.of(), flush(), "the interval was drained");
    }

    @Test
    void aSingleObservationHasAllFiguresEqual() {
        registry.timer("one").record(731, TimeUnit.MICROSECONDS);
        Map<String, Object> x = extra(flush().get(0));
        for (String k : new String[] {"min_s", "max_s", "p50_s", "p90_s", "p99_s", "sum_s"}) {
            assertEquals(0.000731, (Double) x.get(k), 1e-12, k);
        }
    }

    @Test
    void timerSeriesAreKeyedByActionModuleHostAndInstance() {
        registry.timer(new SeriesKey("mysql.request", "order_dao", "127.0.0.1:3306", "orders-ds"))
                .recordNanos(1_000_000, false);
        registry.timer(new SeriesKey("mysql.request", "order_dao", "127.0.0.1:3306", "orders-ds"))
                .recordNanos(3_000_000, true);
        registry.timer(new SeriesKey("mysql.request", "user_dao", "127.0.0.1:3306", "users-ds"))
                .recordNanos(2_000_000, false);
        List<Map<String, Object>> got = flush();
        assertEquals(2, got.size());
        Map<String, Object> orders = got.stream().filter(r -> "order_dao".equals(r.get("x_module")))
                .findFirst().orElseThrow();
        assertEquals("mysql.request", orders.get("x_action"));
        assertEquals("127.0.0.1:3306", orders.get("x_host"));
        assertEquals("orders-ds", orders.get("x_instance_name"));
        assertEquals(2L, extra(orders).get("count"));
        assertEquals(1L, extra(orders).get("errors"));
    }

    @Test
    void oneFlushIsOneTraceWithDistinctIds() {
        registry.counter("a").add(1);
        registry.counter("b").add(1);
        registry.timer("t").record(1, TimeUnit.MILLISECONDS);
        List<Map<String, Object>> got = flush();
        assertEquals(3, got.size());
        assertEquals(1, got.stream().map(r -> r.get("x_trace_id")).distinct().count(), "one trace per flush");
        assertEquals(List.of("0.1", "0.2", "0.3"),
                got.stream().map(r -> (String) r.get("x_rpc_id")).sorted().collect(java.util.stream.Collectors.toList()));
        registry.counter("a").add(1);
        assertNotEquals(got.get(0).get("x_trace_id"), flush().get(0).get("x_trace_id"), "a new trace per flush");
    }

    @Test
    void seriesBeyondTheCapAreFoldedIntoOther() {
        MetricsRegistry small = new MetricsRegistry(2, INTERVAL_MS, this::collect);
        try {
            small.counter("a").add(1);
            small.counter("b").add(1);
            small.counter("c").add(5);
            small.counter("d").add(6);
            assertEquals(2, small.folded());
            records.clear();
            small.flush();
            Map<String, Long> counts = new java.util.TreeMap<>();
            for (Map<String, Object> r : records) {
                counts.put((String) r.get("x_module"), (Long) extra(r).get("count"));
            }
            assertEquals(Map.of("a", 1L, "b", 1L, "other", 11L), counts);
        } finally {
            small.close();
        }
    }

    @Test
    void ownFiguresAreWrittenAsIncreases() {
        long[] dropped = {5};
        registry.selfFigure("writer_dropped", () -> dropped[0]);
        Map<String, Object> r = flush().get(0);
        assertEquals("metric.counter", r.get("x_name"));
        assertEquals("rpctrace_writer_dropped", r.get("x_module"));
        assertEquals(5L, extra(r).get("count"));
        assertEquals(List.of(), flush(), "no increase, no record");
        dropped[0] = 12;
        assertEquals(7L, extra(flush().get(0)).get("count"));
    }

    @Test
    void histogramBucketsBoundTheirValues() {
        for (long v : new long[] {0, 1, 15, 16, 17, 1000, 731_000, 1L << 40, Long.MAX_VALUE}) {
            int i = LogHistogram.index(v);
            assertTrue(LogHistogram.lowerBound(i) <= v && v <= LogHistogram.upperBound(i), "value " + v);
            assertTrue(i < LogHistogram.BUCKETS);
        }
        assertEquals(0, LogHistogram.index(-5), "negative values count as 0");
    }
}
