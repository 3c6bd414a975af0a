package io.rpctrace.metrics;

import io.rpctrace.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * One {@code metric.timer} series: count, errors, sum, min, max and a {@link LogHistogram},
 * recorded lock-free and read out once per interval by the metrics thread.
 */
public final class TimerSeries implements Timer {
    private final SeriesKey key;
    private final LogHistogram histogram = new LogHistogram();
    private final LongAdder sumNanos = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final AtomicLong min = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong max = new AtomicLong(Long.MIN_VALUE);
    int hash;

    TimerSeries(SeriesKey key) {
        this.key = key;
    }

    /** The series key. */
    public SeriesKey key() {
        return key;
    }

    @Override
    public void record(long duration, TimeUnit unit) {
        recordNanos(unit.toNanos(duration), false);
    }

    @Override
    public void recordError(long duration, TimeUnit unit) {
        recordNanos(unit.toNanos(duration), true);
    }

    /** Records one observation in nanoseconds. */
    public void recordNanos(long nanos, boolean error) {
        if (nanos < 0) {
            nanos = 0;
        }
        histogram.record(nanos);
        sumNanos.add(nanos);
        if (error) {
            errors.increment();
        }
        long m = min.get();
        while (nanos < m && !min.compareAndSet(m, nanos)) {
            m = min.get();
        }
        m = max.get();
        while (nanos > m && !max.compareAndSet(m, nanos)) {
            m = max.get();
        }
    }

    /** Reads and resets the interval's figures into {@code out}; false when nothing was recorded. */
    boolean drain(Snapshot out) {
        java.util.Arrays.fill(out.buckets, 0);
        long count = histogram.drainInto(out.buckets);
        if (count == 0) {
            return false;
        }
        out.count = count;
        out.errors = errors.sumThenReset();
        out.sumNanos = sumNanos.sumThenReset();
        out.minNanos = min.getAndSet(Long.MAX_VALUE);
        out.maxNanos = max.getAndSet(Long.MIN_VALUE);
        if (out.minNanos == Long.MAX_VALUE) {
            out.minNanos = 0; // raced with a concurrent record; it lands in the next interval
        }
        if (out.maxNanos < out.minNanos) {
            out.maxNanos = out.minNanos;
        }
        return true;
    }

    /** Interval figures of one series, reused by the metrics thread. */
    static final class Snapshot {
        final long[] buckets = new long[LogHistogram.BUCKETS];
        long count;
        long errors;
        long sumNanos;
        long minNanos;
        long maxNanos;

        long quantile(double q) {
            return LogHistogram.quantile(buckets, count, q, minNanos, maxNanos);
        }
    }
}
