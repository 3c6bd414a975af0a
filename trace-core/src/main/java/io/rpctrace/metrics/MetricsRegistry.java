package io.rpctrace.metrics;

import io.rpctrace.context.Scope;
import io.rpctrace.record.Record;
import io.rpctrace.record.RecordNames;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Counters and timers by name or {@link SeriesKey}, bounded by {@code metrics.max.series}:
 * a series that does not fit is folded into one named {@value #OTHER} and counted. Every
 * {@code metrics.interval.s} a daemon thread writes one record per series that saw data
 * (SPEC §7), each flush under a trace id of its own (rule 6).
 */
public final class MetricsRegistry {
    /** Name of the series that absorbs what exceeds the cardinality cap. */
    public static final String OTHER = "other";
    private static final double NANOS_PER_SECOND = 1e9;

    private final int maxSeries;
    private final long intervalMs;
    private final Consumer<Record> sink;
    private final Map<String, CounterSeries> counters = new ConcurrentHashMap<>();
    private final Map<SeriesKey, TimerSeries> timers = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<SelfFigure> selfFigures = new CopyOnWriteArrayList<>();
    private final AtomicLong folded = new AtomicLong();
    private final TimerSeries.Snapshot snapshot = new TimerSeries.Snapshot();
    private final Record scratch = new Record();
    private volatile Thread thread;
    private volatile boolean stopped;

    /**
     * @param sink where finished records go (copied; the record is reused afterwards)
     */
    public MetricsRegistry(int maxSeries, long intervalMs, Consumer<Record> sink) {
        this.maxSeries = maxSeries;
        this.intervalMs = intervalMs;
        this.sink = sink;
    }

    /** The user counter {@code name}. */
    public CounterSeries counter(String name) {
        String n = name == null || name.isEmpty() ? OTHER : name;
        CounterSeries c = counters.get(n);
        if (c != null) {
            return c;
        }
        if (counters.size() + timers.size() >= maxSeries) {
            folded.incrementAndGet();
            n = OTHER;
        }
        c = counters.computeIfAbsent(n, CounterSeries::new);
        ensureStarted();
        return c;
    }

    /** The user timer {@code name} (its records have {@code x_action} = name). */
    public TimerSeries timer(String name) {
        return timer(new SeriesKey(name == null || name.isEmpty() ? OTHER : name, null, null, null));
    }

    /** The timer of a series key; folded into {@code other} beyond the cap. */
    public TimerSeries timer(SeriesKey key) {
        TimerSeries t = timers.get(key);
        if (t != null) {
            return t;
        }
        if (counters.size() + timers.size() >= maxSeries) {
            folded.incrementAndGet();
            key = new SeriesKey(key.action, OTHER, null, null);
        }
        t = timers.computeIfAbsent(key, TimerSeries::new);
        ensureStarted();
        return t;
    }

    /**
     * rpctrace's own cumulative figure, written as {@code metric.counter} with
     * {@code x_module = rpctrace_<name>} and the interval's increase.
     */
    public void selfFigure(String name, LongSupplier cumulative) {
        selfFigures.add(new SelfFigure("rpctrace_" + name, cumulative));
        ensureStarted();
    }

    /** How many series were folded into {@code other} so far. */
    public long folded() {
        return folded.get();
    }

    private void ensureStarted() {
        if (thread == null && !stopped) {
            synchronized (this) {
                if (thread == null && !stopped) {
                    Thread t = new Thread(this::loop, "rpctrace-metrics");
                    t.setDaemon(true);
                    thread = t;
                    t.start();
                }
            }
        }
    }

    private void loop() {
        long next = System.currentTimeMillis() + intervalMs;
        while (!stopped) {
            long wait = next - System.currentTimeMillis();
            if (wait > 0) {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            next += intervalMs;
            try {
                flush();
            } catch (RuntimeException e) {
                // never let a bad series stop the metrics thread
                System.err.println("rpctrace: metrics flush failed: " + e);
            }
        }
    }

    /** Writes the figures of the interval so far (the metrics thread, and shutdown). */
    public synchronized void flush() {
        Scope root = Scope.newRoot();
        long now = System.currentTimeMillis();
        double intervalS = intervalMs / 1000.0;
        for (CounterSeries c : counters.values()) {
            long v = c.drain();
            if (v != Long.MIN_VALUE) {
                emitCounter(root, now, c.name(), v, intervalS);
            }
        }
        for (SelfFigure f : selfFigures) {
            long cur = f.cumulative.getAsLong();
            long delta = cur - f.last;
            f.last = cur;
            if (delta != 0) {
                emitCounter(root, now, f.name, delta, intervalS);
            }
        }
        for (TimerSeries t : timers.values()) {
            if (!t.drain(snapshot)) {
                continue;
            }
            SeriesKey k = t.key();
            TimerSeries.Snapshot s = snapshot;
            Record r = scratch.reset()
                    .name(RecordNames.METRIC_TIMER).traceId(root.traceId()).rpcId(root.prefix(), root.nextCall())
                    .timestampMs(now).action(k.action).module(k.module).host(k.host).instanceName(k.instanceName)
                    .extra("count", s.count).extra("errors", s.errors)
                    .extra("sum_s", s.sumNanos / NANOS_PER_SECOND)
                    .extra("min_s", s.minNanos / NANOS_PER_SECOND)
                    .extra("max_s", s.maxNanos / NANOS_PER_SECOND)
                    .extra("p50_s", s.quantile(0.50) / NANOS_PER_SECOND)
                    .extra("p90_s", s.quantile(0.90) / NANOS_PER_SECOND)
                    .extra("p99_s", s.quantile(0.99) / NANOS_PER_SECOND)
                    .extra("interval_s", intervalS);
            sink.accept(r);
        }
    }

    private void emitCounter(Scope root, long now, String name, long value, double intervalS) {
        Record r = scratch.reset()
                .name(RecordNames.METRIC_COUNTER).traceId(root.traceId()).rpcId(root.prefix(), root.nextCall())
                .timestampMs(now).module(name).extra("count", value).extra("interval_s", intervalS);
        sink.accept(r);
    }

    /** Stops the thread after writing the partial interval. */
    public void close() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        flush();
    }

    private static final class SelfFigure {
        final String name;
        final LongSupplier cumulative;
        long last;

        SelfFigure(String name, LongSupplier cumulative) {
            this.name = name;
            this.cumulative = cumulative;
        }
    }
}
