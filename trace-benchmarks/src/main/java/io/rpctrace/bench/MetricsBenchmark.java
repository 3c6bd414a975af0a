package io.rpctrace.bench;

import io.rpctrace.metrics.IpStats;
import io.rpctrace.metrics.MetricsRegistry;
import io.rpctrace.metrics.TimerSeries;
import io.rpctrace.record.Record;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 12: the application-thread cost of one metrics observation (target ≤ 50 ns, 0 B),
 * with 1 and 2 threads. The registry's thread is not started, so nothing drains meanwhile.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBenchmark {

    @State(Scope.Benchmark)
    public static class Registry {
        final IpStats ipStats = new IpStats(new long[] {60_000, 300_000}, 1000, System.currentTimeMillis());
        final MetricsRegistry metrics = new MetricsRegistry(2000, 10_000, r -> { }, ipStats,
                System::currentTimeMillis);
        final TimerSeries timer = metrics.timer("checkout");
        final Record mysql = new Record().name("mysql.request").traceId("4bf92f3577b34da6a3ce929d0e0e4736")
                .rpcId("0", 2).durationNanos(731_000).module("order_dao_find").host("127.0.0.1:3306")
                .action("select * from orders where id = ?");
    }

    /** A user timer observation: histogram bucket, sum, min/max. */
    @Benchmark
    @Threads(1)
    public void timerRecord1(Registry r) {
        r.timer.recordNanos(731_000, false);
    }

    @Benchmark
    @Threads(2)
    public void timerRecord2(Registry r) {
        r.timer.recordNanos(731_000, false);
    }

    /** A finished mysql.request feeding its module timer (series lookup without allocation). */
    @Benchmark
    @Threads(1)
    public void observeRecord1(Registry r) {
        r.metrics.observe(r.mysql);
    }

    @Benchmark
    @Threads(2)
    public void observeRecord2(Registry r) {
        r.metrics.observe(r.mysql);
    }

    /** A served request into two IP windows. */
    @Benchmark
    @Threads(1)
    public void ipStatsRecord1(Registry r) {
        r.ipStats.record("203.0.113.7", 512, 2048, 1_500_000, 200, false, false, 1_763_800_000_000L);
    }

    /** Two threads serving the same client IP (the worst case: one entry's counters). */
    @Benchmark
    @Threads(2)
    public void ipStatsRecord2(Registry r) {
        r.ipStats.record("203.0.113.7", 512, 2048, 1_500_000, 200, false, false, 1_763_800_000_000L);
    }
}
