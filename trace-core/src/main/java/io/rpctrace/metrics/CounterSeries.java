package io.rpctrace.metrics;

import io.rpctrace.Counter;
import java.util.concurrent.atomic.LongAdder;

/** One {@code metric.counter} series: a striped sum, read and reset once per interval. */
public final class CounterSeries implements Counter {
    private final String name;
    private final LongAdder sum = new LongAdder();
    private volatile boolean touched;

    CounterSeries(String name) {
        this.name = name;
    }

    /** The counter's name ({@code x_module} of its records). */
    public String name() {
        return name;
    }

    @Override
    public void add(long n) {
        sum.add(n);
        if (!touched) {
            touched = true;
        }
    }

    /** The interval's sum, reset to zero; {@code Long.MIN_VALUE} when never touched this interval. */
    long drain() {
        if (!touched) {
            return Long.MIN_VALUE;
        }
        touched = false;
        return sum.sumThenReset();
    }
}
