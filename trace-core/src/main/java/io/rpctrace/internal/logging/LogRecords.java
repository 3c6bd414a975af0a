package io.rpctrace.internal.logging;

import io.rpctrace.context.Scope;
import io.rpctrace.context.TraceId;
import io.rpctrace.context.RpcId;
import io.rpctrace.internal.Secrets;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.Fields;
import io.rpctrace.record.Level;
import io.rpctrace.record.Record;
import io.rpctrace.record.RecordNames;

/**
 * Fills a {@code log.*} record from a logging framework's event (docs/logging.md#capture). One
 * claim, any number of extras, one publish, on the thread that appends:
 *
 * <pre>{@code
 * Record r = LogRecords.begin(tracing, level, thrown, scope, null, null,
 *         event.getTimeStamp(), Thread.currentThread().getId(), loggerName, message);
 * if (r != null) {
 *     try {
 *         for (Map.Entry<String, String> e : mdc.entrySet()) LogRecords.extra(r, e.getKey(), e.getValue());
 *     } finally {
 *         LogRecords.publish(tracing, r);
 *     }
 * }
 * }</pre>
 */
public final class LogRecords {
    /** The MDC / context-data key holding the trace id: the record field's name. */
    public static final String MDC_TRACE_ID = Fields.TRACE_ID;
    /** The MDC / context-data key holding the current RPC id: the record field's name. */
    public static final String MDC_RPC_ID = Fields.RPC_ID;
    /** {@code x_msg} is cut to this many characters. */
    public static final int MAX_MSG_CHARS = 4096;
    /** Each {@code x_extra} value is cut to this many characters. */
    public static final int MAX_EXTRA_CHARS = 512;
    /** Appended where a value was cut (the encoder uses the same marker). */
    public static final String TRUNCATED = "...[truncated]";

    private LogRecords() {
    }

    /**
     * True for rpctrace's own loggers, whose events never become records: names under
     * {@code rpctrace} and under the SDK's packages ({@code io.rpctrace.internal}, {@code .agent},
     * {@code .instrumentation}, {@code .writer}, {@code .config}, {@code .logback},
     * {@code .log4j2}). Application code in other {@code io.rpctrace} packages (examples)
     * is captured like any other.
     */
    public static boolean ownLogger(String name) {
        if (name == null) {
            return false;
        }
        if (name.startsWith("io.rpctrace.")) {
            return name.startsWith("internal", 12) || name.startsWith("agent", 12)
                    || name.startsWith("instrumentation", 12) || name.startsWith("writer", 12)
                    || name.startsWith("config", 12) || name.startsWith("logback", 12)
                    || name.startsWith("log4j2", 12);
        }
        return name.startsWith("rpctrace");
    }

    /**
     * Claims and fills the common fields of a {@code log.*} record, or returns null when the
     * writer drops it. Ids come from {@code scope} when it is not null, else from
     * {@code traceId}/{@code rpcId} (correlation values an asynchronous appender found in the
     * event, checked against docs/model.md#ids), else the record gets a trace of its own with id
     * {@code 0.1} (rule 6). A throwable makes it {@code log.exception} with
     * {@code x_backtrace}; the message is capped at {@link #MAX_MSG_CHARS}, the debug secret in it
     * masked (docs/propagation.md#debug-mode).
     * Always hand a non-null result to {@link #publish}.
     */
    public static Record begin(Tracing tracing, Level level, Throwable thrown, Scope scope,
                               String traceId, String rpcId, long timestampMs, long threadId,
                               String module, String message) {
        Record r = tracing.writer().claim();
        if (r == null) {
            return null;
        }
        r.name(thrown != null ? RecordNames.LOG_EXCEPTION : level.recordName());
        if (scope != null) {
            r.traceId(scope.traceId()).rpcId(scope.prefix(), scope.counter());
        } else if (TraceId.isValid(traceId) && RpcId.isValid(rpcId)) {
            r.traceId(traceId).rpcId(rpcId);
        } else {
            r.traceId(TraceId.generate()).rpcId(RpcId.ROOT, 1);
        }
        r.timestampMs(timestampMs > 0 ? timestampMs : System.currentTimeMillis());
        if (threadId >= 0) {
            r.threadId(threadId);
        }
        r.module(module).msg(cap(tracing.debugToken().masked(message, Secrets.MASK), MAX_MSG_CHARS)).error(thrown);
        return r;
    }

    /**
     * Adds one MDC / context-data / key-value entry to {@code x_extra}, capped at
     * {@link #MAX_EXTRA_CHARS}. The correlation keys are skipped: they are the record's ids.
     */
    public static void extra(Record r, String key, String value) {
        if (key == null || value == null || key.equals(MDC_TRACE_ID) || key.equals(MDC_RPC_ID)) {
            return;
        }
        r.extra(key, cap(value, MAX_EXTRA_CHARS));
    }

    /** Sets {@code x_file}/{@code x_line} from caller data the framework already computed. */
    public static void location(Record r, String file, int line) {
        if (file != null) {
            r.file(file);
        }
        if (line > 0) {
            r.line(line);
        }
    }

    /** Hands the record over for writing; never throws. */
    public static void publish(Tracing tracing, Record r) {
        tracing.writer().publish(r);
    }

    /** {@code s} cut to {@code max} characters including {@link #TRUNCATED}, never splitting a surrogate pair. */
    public static String cap(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int cut = Math.max(0, max - TRUNCATED.length());
        if (cut > 0 && Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return s.substring(0, cut) + TRUNCATED;
    }
}
