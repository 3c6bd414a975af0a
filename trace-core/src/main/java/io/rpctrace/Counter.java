package io.rpctrace;

/**
 * A user counter (docs/metrics.md {@code metric.counter}): the sum of what was added in each
 * interval is written every {@code metrics.interval.s}. Thread-safe and lock-free.
 *
 * <pre>{@code
 * private static final Counter ORDERS = Trace.counter("orders_created");
 * ORDERS.add(1);
 * }</pre>
 */
public interface Counter {
    /** Adds {@code n} (may be negative). */
    void add(long n);

    /** Adds one. */
    default void increment() {
        add(1);
    }
}
