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
 * rpctrace's metrics (docs/metrics.md): module timers fed by every finished client and server record
 * ({@link #observe(Record)}), user counters and timers, per-client-IP windows
 * ({@link IpStats}) and rpctrace's own figures. Bounded by {@code metrics.max.series}: a
 * series that does not fit folds into one named {@value #OTHER} and is counted.
 *
 * <p>A daemon thread ticks every second: it rolls IP windows and, every
 * {@code metrics.interval.s}, writes one record per series that saw data, each flush under a
 * trace id of its own (rule 6). Recording never locks or allocates once a series exists.
 */
public final class MetricsRegistry {
    /** Name of the series (or IP) that absorbs what exceeds a cardinality cap. */
    public static final String OTHER = "other";
    private static final double NANOS_PER_SECOND = 1e9;
    private static final long TICK_MS = 1000;

    private final long intervalMs;
    private final Consumer<Record> sink;
    private final LongSupplier clock;
    private final int maxSeries;
    private final SeriesTable timers;
    private final IpStats ipStats;
    private final Map<String, CounterSeries> counters = new ConcurrentHashMap<>();
    private final Map<String, String> baseNames = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<SelfFigure> selfFigures = new CopyOnWriteArrayList<>();
    private final AtomicLong foldedCounters = new AtomicLong();
    private final TimerSeries.Snapshot snapshot = new TimerSeries.Snapshot();
    private final Record scratch = new Record();
    private long nextFlushMs;
    private volatile Runnable beforeInterval;
    private volatile Thread thread;
    private volatile boolean stopped;

    /** A registry without IP statistics on the system clock. */
    public MetricsRegistry(int maxSeries, long intervalMs, Consumer<Record> sink) {
        this(maxSeries, intervalMs, sink, null, System::currentTimeMillis);
    }

    /**
     * @param sink    where finished records go (the record is reused afterwards: copy it)
     * @param ipStats per-IP windows, or null for none
     * @param clock   milliseconds since the epoch (tests pass a fake one and call {@link #tick})
     */
    public MetricsRegistry(int maxSeries, long intervalMs, Consumer<Record> sink, IpStats ipStats,
                           LongSupplier clock) {
        this.maxSeries = maxSeries;
        this.intervalMs = intervalMs;
        this.sink = sink;
        this.clock = clock;
        this.timers = new SeriesTable(maxSeries);
        this.ipStats = ipStats != null ? ipStats : new IpStats(new long[0], 1, clock.getAsLong());
        this.nextFlushMs = clock.getAsLong() + intervalMs;
    }

    /** The per-client-IP windows. */
    public IpStats ipStats() {
        return ipStats;
    }

    /** The user counter {@code name}. */
    public CounterSeries counter(String name) {
        String n = name == null || name.isEmpty() ? OTHER : name;
        CounterSeries c = counters.get(n);
        if (c != null) {
            return c;
        }
        if (counters.size() >= maxSeries) {
            foldedCounters.incrementAndGet();
            n = OTHER;
        }
        return counters.computeIfAbsent(n, CounterSeries::new);
    }

    /** The user timer {@code name} (its records have {@code x_action} = name). */
    public TimerSeries timer(String name) {
        return timers.get(name == null || name.isEmpty() ? OTHER : name, null, null, null);
    }

    /** The timer of a series key; folded into {@code other} beyond the cap. */
    public TimerSeries timer(SeriesKey key) {
        return timers.get(key.action, key.module, key.host, key.instanceName);
    }

    /** The timer of {@code (action, module, host, instanceName)}, without allocating once it exists. */
    public TimerSeries timer(String action, String module, String host, String instanceName) {
        return timers.get(action, module, host, instanceName);
    }

    /**
     * Feeds a finished client or server record into its module timer: {@code x_action} is the
     * record type without {@code .error}, errors are {@code .error} records and served
     * requests with a 5xx code. Levelled and metric records, and records without a duration,
     * are ignored. Never keys on SQL, URLs or Redis keys.
     */
    public void observe(Record r) {
        long d = r.durationNanos();
        String name = r.name();
        if (d < 0 || name == null || name.startsWith("log.") || name.startsWith("metric.")) {
            return;
        }
        String action = name;
        boolean error = false;
        if (name.endsWith(RecordNames.ERROR_SUFFIX)) {
            error = true;
            action = baseName(name);
        } else if (RecordNames.REQUEST_INFO.equals(name)) {
            String code = r.code();
            error = code != null && code.length() == 3 && code.charAt(0) == '5';
        }
        timers.get(action, r.module(), r.host(), r.instanceName()).recordNanos(d, error);
    }

    private String baseName(String errorName) {
        String b = baseNames.get(errorName);
        if (b == null) {
            b = errorName.substring(0, errorName.length() - RecordNames.ERROR_SUFFIX.length());
            if (baseNames.size() < 4096) {
                baseNames.put(errorName, b);
            }
        }
        return b;
    }

    /**
     * rpctrace's own cumulative figure, written as {@code metric.counter} with
     * {@code x_module = rpctrace_<name>} and the interval's increase (when non-zero).
     */
    public void selfFigure(String name, LongSupplier cumulative) {
        selfFigure(name, null, cumulative);
    }

    /**
     * Like {@link #selfFigure(String, LongSupplier)} for one cause of a figure: the record
     * carries {@code x_extra.cause}, so {@code rpctrace_writer_dropped} splits by why.
     */
    public void selfFigure(String name, String cause, LongSupplier cumulative) {
        selfFigures.add(new SelfFigure("rpctrace_" + name, cause, cumulative, false));
    }

    /**
     * rpctrace's own level figure (e.g. a high-water mark), written with the value the
     * supplier returns at each flush when non-zero; a supplier that resets on read reports
     * per interval.
     */
    public void selfGauge(String name, LongSupplier value) {
        selfFigures.add(new SelfFigure("rpctrace_" + name, null, value, true));
    }

    /** How many series, counters and IPs were folded into {@code other} so far. */
    public long folded() {
        return timers.folded() + foldedCounters.get() + ipStats.folded();
    }

    /**
     * Runs {@code r} before each interval's figures are taken (and before {@link #flush()} and
     * {@link #close()}): Tracing waits there for the writer thread, which feeds the module timers
     * of the spans handed over to it, to have seen every span finished before the interval ends.
     */
    public void beforeInterval(Runnable r) {
        beforeInterval = r;
    }

    private void runBeforeInterval() {
        Runnable r = beforeInterval;
        if (r != null) {
            try {
                r.run();
            } catch (RuntimeException e) {
                System.err.println("rpctrace: metrics: waiting for the writer failed: " + e);
            }
        }
    }

    /** Starts the metrics thread (once). */
    public void start() {
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
        while (!stopped) {
            try {
                Thread.sleep(Math.min(TICK_MS, intervalMs));
            } catch (InterruptedException e) {
                return;
            }
            try {
                tick(clock.getAsLong());
            } catch (RuntimeException e) {
                // never let a bad series stop the metrics thread
                System.err.println("rpctrace: metrics tick failed: " + e);
            }
        }
    }

    /** Rolls IP windows and, when the interval is over, writes the interval's figures. */
    public synchronized void tick(long nowMs) {
        Scope root = Scope.newRoot();
        ipStats.tick(nowMs, sink, root, scratch);
        if (nowMs >= nextFlushMs) {
            nextFlushMs += intervalMs * Math.max(1, (nowMs - nextFlushMs) / intervalMs + 1);
            runBeforeInterval();
            writeInterval(root, nowMs);
        }
    }

    /** Writes the figures of the interval so far (tests, and shutdown). */
    public synchronized void flush() {
        runBeforeInterval();
        writeInterval(Scope.newRoot(), clock.getAsLong());
    }

    private void writeInterval(Scope root, long now) {
        double intervalS = intervalMs / 1000.0;
        for (CounterSeries c : counters.values()) {
            long v = c.drain();
            if (v != Long.MIN_VALUE) {
                emitCounter(root, now, c.name(), null, v, intervalS);
            }
        }
        for (SelfFigure f : selfFigures) {
            long cur = f.source.getAsLong();
            long v = f.gauge ? cur : cur - f.last;
            f.last = cur;
            if (v != 0) {
                emitCounter(root, now, f.name, f.cause, v, intervalS);
            }
        }
        for (TimerSeries t : timers.series()) {
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

    private void emitCounter(Scope root, long now, String name, String cause, long value, double intervalS) {
        Record r = scratch.reset()
                .name(RecordNames.METRIC_COUNTER).traceId(root.traceId()).rpcId(root.prefix(), root.nextCall())
                .timestampMs(now).module(name).extra("count", value).extra("interval_s", intervalS);
        if (cause != null) {
            r.extra("cause", cause);
        }
        sink.accept(r);
    }

    /** Stops the thread after writing the partial interval and the open IP windows. */
    public synchronized void close() {
        stopped = true;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
        }
        runBeforeInterval();
        Scope root = Scope.newRoot();
        writeInterval(root, clock.getAsLong());
        ipStats.flushAll(sink, root, scratch);
    }

    private static final class SelfFigure {
        final String name;
        final String cause;
        final LongSupplier source;
        final boolean gauge;
        long last;

        SelfFigure(String name, String cause, LongSupplier source, boolean gauge) {
            this.name = name;
            this.cause = cause;
            this.source = source;
            this.gauge = gauge;
        }
    }
}
