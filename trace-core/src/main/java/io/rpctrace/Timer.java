package io.rpctrace;

import java.util.concurrent.TimeUnit;

/**
 * A user timer (docs/metrics.md {@code metric.timer}): count, errors, sum, min, max and
 * p50/p90/p99 of each interval are written every {@code metrics.interval.s}.
 * Thread-safe; recording is lock-free and allocation-free.
 *
 * <pre>{@code
 * private static final Timer CHECKOUT = Trace.timer("checkout");
 * long t0 = System.nanoTime();
 * ...
 * CHECKOUT.record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
 * }</pre>
 */
public interface Timer {
    /** Records one observation. */
    void record(long duration, TimeUnit unit);

    /** Records one failed observation (counted in {@code errors} too). */
    void recordError(long duration, TimeUnit unit);
}
