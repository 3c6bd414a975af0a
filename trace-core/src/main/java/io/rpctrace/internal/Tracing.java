package io.rpctrace.internal;

import io.rpctrace.config.Config;
import io.rpctrace.config.ConfigKeys;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.DebugToken;
import io.rpctrace.context.Forwarded;
import io.rpctrace.context.Scope;
import io.rpctrace.context.TraceId;
import io.rpctrace.metrics.IpStats;
import io.rpctrace.metrics.MetricsRegistry;
import io.rpctrace.record.Level;
import io.rpctrace.record.Record;
import io.rpctrace.record.RecordNames;
import io.rpctrace.writer.RecordWriter;
import io.rpctrace.writer.RingFileWriter;
import io.rpctrace.writer.Writers;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The running tracer of this JVM: configuration, the writer, debug tokens and metrics.
 * Created on first use from {@link Config#load(String)}, or installed by the agent at
 * start-up. Not part of the public API.
 */
public final class Tracing {
    private static volatile Tracing instance;

    private final Config config;
    private final Service service;
    private final RecordWriter writer;
    private final DebugToken debugToken;
    private final Level logsLevel;
    private final Level debugLevel;
    private final MetricsRegistry metrics;
    private final AtomicLong internalErrors = new AtomicLong();
    /** True when the writer feeds the module timers of the records handed over to it. */
    private final boolean writerObserves;
    private final Thread shutdownHook;

    private Tracing(Config config, RecordWriter writerOrNull) {
        this.config = config;
        this.service = Service.from(config);
        this.writer = writerOrNull != null ? writerOrNull : Writers.create(config, service);
        this.debugToken = new DebugToken(config.get(ConfigKeys.DEBUG_TOKEN, null));
        this.logsLevel = level(config, ConfigKeys.LOGS_LEVEL, Level.INFO);
        Level dl = level(config, ConfigKeys.DEBUG_LEVEL, Level.DEBUG);
        if (dl != Level.DEBUG && dl != Level.TRACE) {
            config.report(ConfigKeys.DEBUG_LEVEL, dl.name(), "must be DEBUG or TRACE", "DEBUG");
            dl = Level.DEBUG;
        }
        this.debugLevel = dl;
        long intervalMs = config.getLong(ConfigKeys.METRICS_INTERVAL_S, 10, 1, 3600) * 1000L;
        int maxSeries = config.getInt(ConfigKeys.METRICS_MAX_SERIES, 2000, 1, 1_000_000);
        long now = System.currentTimeMillis();
        IpStats ipStats = new IpStats(IpStats.parseWindows(config, ConfigKeys.IPSTATS_WINDOWS, "5m"),
                config.getInt(ConfigKeys.IPSTATS_MAX_IPS, 1000, 1, 1_000_000), now);
        this.metrics = new MetricsRegistry(maxSeries, intervalMs, this::write, ipStats, System::currentTimeMillis);
        // spans handed over feed their module timers on the writer thread, off the application's;
        // each interval waits for the writer to have seen what was handed over before it
        this.writerObserves = writer.observeHandedOver(this::observe);
        if (writerObserves) {
            metrics.beforeInterval(writer::flush);
        }
        this.shutdownHook = new Thread(this::shutdown, "rpctrace-shutdown");
    }

    private static Level level(Config config, String key, Level def) {
        String v = config.get(key, null);
        if (v == null) {
            return def;
        }
        Level l = Level.parse(v);
        if (l == null) {
            config.report(key, v, "is not a level (TRACE, DEBUG, INFO, NOTICE, WARN, ERROR, ALARM, OFF)", def.name());
            return def;
        }
        return l;
    }

    /** The tracer of this JVM, created from the JVM's configuration on first use. */
    public static Tracing get() {
        Tracing t = instance;
        if (t == null) {
            synchronized (Tracing.class) {
                t = instance;
                if (t == null) {
                    t = start(Config.load(null), null);
                }
            }
        }
        return t;
    }

    /** True once a tracer runs in this JVM. */
    public static boolean started() {
        return instance != null;
    }

    /**
     * Starts the tracer of this JVM with {@code config} (the agent at premain, tests); a
     * writer of null means the configured file writer. A tracer already running is closed
     * first.
     */
    public static synchronized Tracing start(Config config, RecordWriter writer) {
        Tracing old = instance;
        Tracing t = new Tracing(config, writer);
        instance = t;
        if (old != null) {
            old.shutdown();
            try {
                Runtime.getRuntime().removeShutdownHook(old.shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down already
            }
        }
        try {
            Runtime.getRuntime().addShutdownHook(t.shutdownHook);
        } catch (IllegalStateException ignored) {
            // the JVM is shutting down
        }
        selfFigures(t.metrics, t.writer, t.internalErrors);
        t.metrics.start();
        return t;
    }

    /**
     * rpctrace's own figures (docs/metrics.md): each is a counter that only its owner's thread
     * writes (the writer thread, the advice's), read by the metrics thread at each flush.
     */
    public static void selfFigures(MetricsRegistry m, RecordWriter writer, AtomicLong internalErrors) {
        m.selfFigure("records_written", writer::written);
        if (writer instanceof RingFileWriter) {
            RingFileWriter w = (RingFileWriter) writer;
            m.selfFigure("writer_dropped", "ring_full", w::droppedRingFull);
            m.selfFigure("writer_dropped", "io", w::droppedIo);
            m.selfFigure("writer_dropped", "unencodable", w::droppedUnencodable);
            m.selfFigure("writer_dropped", "closed", w::droppedClosed);
            m.selfGauge("ring_high_water", w::takeRingHighWater);
            m.selfFigure("bytes_written", w::bytesWritten);
            m.selfFigure("files_rolled", w::filesRolled);
            m.selfFigure("files_deleted", w::filesDeleted);
        } else {
            m.selfFigure("writer_dropped", writer::dropped);
        }
        m.selfFigure("internal_errors", internalErrors::get);
        m.selfFigure("advice_errors", AdviceErrors::count);
        m.selfFigure("metrics_folded", m::folded);
    }

    private void shutdown() {
        try {
            metrics.close();
        } catch (Throwable ignored) {
            // shutting down: nothing to report to
        }
        writer.close();
    }

    /** The configuration. */
    public Config config() {
        return config;
    }

    /** The service identity. */
    public Service service() {
        return service;
    }

    /** The writer. */
    public RecordWriter writer() {
        return writer;
    }

    /** Debug tokens (docs/propagation.md#debug-mode). */
    public DebugToken debugToken() {
        return debugToken;
    }

    /** The metrics registry. */
    public MetricsRegistry metrics() {
        return metrics;
    }

    /**
     * {@code logs.level}: the capture threshold of levelled records inside a trace
     * (docs/logging.md#capture).
     */
    public Level logsLevel() {
        return logsLevel;
    }

    /**
     * {@code debug.level}: DEBUG or TRACE, what debug mode enables
     * (docs/logging.md#debug-for-one-request).
     */
    public Level debugLevel() {
        return debugLevel;
    }

    /** Errors caught inside rpctrace (never thrown to the application). */
    public AtomicLong internalErrors() {
        return internalErrors;
    }

    /**
     * Rule 1 from request headers: ids (invalid ones are absent) and debug mode when
     * {@code xDebug} is "1" and the token is accepted.
     */
    public Scope enterFromHeaders(String traceId, String rpcId, String xDebug, String xDebugToken,
                                  Forwarded forwarded) {
        boolean debug = false;
        if (asksDebug(xDebug)) {
            debug = debugToken.accepts(TraceId.isValid(traceId) ? traceId : null, xDebugToken);
        }
        Scope s = Scope.enter(traceId, rpcId, debug, forwarded);
        return s;
    }

    /**
     * {@link #enterFromHeaders(String, String, String, String, Forwarded)} with the trace id as the
     * valid ASCII bytes a byte carrier holds ({@link Scope#enterAscii}: no string made for it).
     */
    public Scope enterFromHeaders(byte[] traceId, String rpcId, String xDebug, String xDebugToken,
                                  Forwarded forwarded) {
        if (asksDebug(xDebug)) {   // rare: the token is checked against the id as a string
            return enterFromHeaders(new String(traceId, StandardCharsets.ISO_8859_1), rpcId, xDebug, xDebugToken,
                    forwarded);
        }
        return Scope.enterAscii(traceId, rpcId, false, forwarded);
    }

    private boolean asksDebug(String xDebug) {
        return xDebug != null && debugToken.enabled() && "1".equals(xDebug.trim());
    }

    /** True when a levelled record at {@code level} is written in {@code scope} (null: outside any). */
    public boolean admits(Level level, Scope scope) {
        if (logsLevel.admits(level)) {
            return true;
        }
        return scope != null && scope.debug() && debugLevel.admits(level);
    }

    /**
     * Writes a levelled record carrying the current id (rule 3), or under a trace of its own
     * outside any scope (rule 6). A throwable makes it {@code log.exception}.
     */
    public void log(Level level, String module, String msg, Throwable t) {
        try {
            Scope scope = CurrentScope.get();
            if (!admits(level, scope)) {
                return;
            }
            Record r = writer.claim();
            if (r == null) {
                return;
            }
            try {
                String tid;
                String prefix;
                int seq;
                if (scope == null) {
                    tid = TraceId.generate();
                    prefix = "0";
                    seq = 1;
                } else {
                    tid = scope.traceId();
                    prefix = scope.prefix();
                    seq = scope.counter();
                }
                r.name(t != null ? RecordNames.LOG_EXCEPTION : level.recordName())
                        .traceId(tid).rpcId(prefix, seq)
                        .timestampMs(System.currentTimeMillis())
                        .threadId(Thread.currentThread().getId())
                        .module(module).msg(msg).error(t);
            } finally {
                writer.publish(r);
            }
        } catch (Throwable e) {
            internalErrors.incrementAndGet();
        }
    }

    /**
     * Writes a copy of a finished client, server or span record and feeds its module timer;
     * never throws.
     */
    public void emit(Record filled) {
        observe(filled);
        write(filled);
    }

    /**
     * As {@link #emit(Record)} for a record taken from {@link RecordPool} (an instrumentation
     * span's): the writer takes it by reference, without a copy, feeds its module timer on the
     * writer thread ({@link RecordWriter#observeHandedOver}) and gives it back to the pool once
     * written or dropped. The caller must not touch it afterwards; never throws.
     */
    public void emitPooled(Record pooled) {
        if (!writerObserves) {
            observe(pooled);
        }
        try {
            writer.handOver(pooled);
        } catch (Throwable e) {
            internalErrors.incrementAndGet();
        }
    }

    /**
     * Feeds a finished record into its module timer, and a served request's into the per-client-IP
     * windows ({@link Record#ipWindow()}); never throws. On the writer thread for a record handed
     * over, after it was encoded (docs/RATIONALE.md, "Module timers are fed on the writer thread").
     */
    private void observe(Record r) {
        try {
            metrics.observe(r);
        } catch (Throwable e) {
            internalErrors.incrementAndGet();
        }
        byte ip = r.ipWindow();
        if (ip != Record.IP_NONE) {
            long bytesOut = r.bytesOut() >= 0 ? r.bytesOut() : r.responseLen();
            // the request's end, so that the writer's delay does not move it into a later window
            long endMs = r.timestampMs() >= 0 && r.durationNanos() >= 0
                    ? r.timestampMs() + r.durationNanos() / 1_000_000L : System.currentTimeMillis();
            served(r.clientIp(), r.bytesIn(), bytesOut, r.durationNanos(), r.code(), ip == Record.IP_FAILED, endMs);
        }
    }

    /**
     * Feeds a served request into the per-client-IP windows (docs/metrics.md).
     *
     * @param bytesIn request bytes when known, else 0
     * @param code    {@code x_code}: an HTTP status (400 is a bad request, 5xx an error) or a
     *                gRPC status name ({@code INVALID_ARGUMENT} is a bad request; the codes
     *                mapped to a 5xx are errors, whatever {@code failed} says)
     */
    public void served(String clientIp, long bytesIn, long bytesOut, long durationNanos, String code, boolean failed) {
        served(clientIp, bytesIn, bytesOut, durationNanos, code, failed, System.currentTimeMillis());
    }

    private void served(String clientIp, long bytesIn, long bytesOut, long durationNanos, String code, boolean failed,
                        long nowMs) {
        try {
            int status = 0;
            if (code != null && code.length() == 3) {
                status = (code.charAt(0) - '0') * 100 + (code.charAt(1) - '0') * 10 + (code.charAt(2) - '0');
            }
            boolean bad = false;
            if (status == 0 && code != null) {
                // a gRPC status name: errors and bad requests as its HTTP mapping has them (5xx, 400)
                failed = grpcServerFault(code);
                bad = "INVALID_ARGUMENT".equals(code);
            }
            metrics.ipStats().record(clientIp, bytesIn, Math.max(0, bytesOut), durationNanos, status, failed, bad, nowMs);
        } catch (Throwable e) {
            internalErrors.incrementAndGet();
        }
    }

    /**
     * gRPC codes that gRPC's HTTP mapping answers with a 5xx: the server's fault. The others
     * (NOT_FOUND, INVALID_ARGUMENT, PERMISSION_DENIED, CANCELLED, ...) are the caller's.
     */
    static boolean grpcServerFault(String code) {
        switch (code) {
            case "UNKNOWN":
            case "INTERNAL":
            case "DATA_LOSS":
            case "UNIMPLEMENTED":
            case "UNAVAILABLE":
            case "DEADLINE_EXCEEDED":
                return true;
            default:
                return false;
        }
    }

    /** Writes a copy of {@code filled} without feeding metrics; never throws. */
    public void write(Record filled) {
        try {
            Record r = writer.claim();
            if (r == null) {
                return;
            }
            try {
                r.copyFrom(filled);
            } finally {
                writer.publish(r);
            }
        } catch (Throwable e) {
            internalErrors.incrementAndGet();
        }
    }
}
