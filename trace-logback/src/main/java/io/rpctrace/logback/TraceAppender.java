package io.rpctrace.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.Tracing;
import io.rpctrace.internal.logging.LogLevels;
import io.rpctrace.internal.logging.LogRecords;
import io.rpctrace.record.Level;
import io.rpctrace.record.Record;
import io.rpctrace.record.RecordNames;
import java.util.Map;

/**
 * Turns Logback events into {@code log.*} records (docs/logging.md#capture): TRACE to ERROR map to
 * {@code log.trace} ... {@code log.error}, or {@code log.exception} with {@code x_backtrace}
 * when a throwable is attached; {@code x_module} is the logger name, {@code x_msg} the
 * formatted message (capped), MDC entries and SLF4J 2 key-value pairs go to {@code x_extra},
 * {@code x_file}/{@code x_line} only when the event already has caller data (this appender
 * never computes it).
 *
 * <p>Inside a trace, events at or above {@code logs.level} (default INFO) are captured, plus
 * those debug mode enabled; outside any trace only WARN and above, each as a trace of its own.
 * {@code logs.level=OFF} turns capture off. rpctrace's own loggers are never captured.
 *
 * <pre>{@code
 * <appender name="RPCTRACE" class="io.rpctrace.logback.TraceAppender"/>
 * <root level="INFO"><appender-ref ref="RPCTRACE"/></root>
 * }</pre>
 *
 * <p>Attach it directly, not behind an {@code AsyncAppender}: the record writer is already
 * asynchronous, and on another thread the scope is not current (the ids are then taken from
 * the event's MDC, and debug-mode events below {@code logs.level} are not captured).
 */
public class TraceAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    /** Named {@code RPCTRACE} unless configured otherwise. */
    public TraceAppender() {
        setName("RPCTRACE");
    }

    @Override
    protected void append(ILoggingEvent event) {
        try {
            capture(event);
        } catch (Throwable e) {
            if (Tracing.started()) {
                Tracing.get().internalErrors().incrementAndGet();
            }
        }
    }

    private void capture(ILoggingEvent event) {
        String loggerName = event.getLoggerName();
        if (LogRecords.ownLogger(loggerName)) {
            return;
        }
        Level level = LogLevels.fromLogback(event.getLevel().levelInt);
        Scope scope = CurrentScope.get();
        Map<String, String> mdc = event.getMDCPropertyMap();
        String traceId = null;
        String rpcId = null;
        boolean inTrace = scope != null;
        if (!inTrace && mdc != null) {
            // another thread (AsyncAppender) or ids the application put itself
            traceId = mdc.get(LogRecords.MDC_TRACE_ID);
            rpcId = mdc.get(LogRecords.MDC_RPC_ID);
            inTrace = traceId != null && rpcId != null;
        }
        if (!inTrace && level.ordinal() < Level.WARN.ordinal()) {
            return; // never captured outside a trace; don't even start the tracer for it
        }
        Tracing tracing = Tracing.get();
        if (!LogLevels.captures(tracing, level, inTrace, scope != null && scope.debug())) {
            return;
        }
        IThrowableProxy proxy = event.getThrowableProxy();
        Throwable thrown = proxy instanceof ThrowableProxy ? ((ThrowableProxy) proxy).getThrowable() : null;
        Record r = LogRecords.begin(tracing, level, thrown, scope, traceId, rpcId, event.getTimeStamp(),
                scope != null ? Thread.currentThread().getId() : -1, loggerName, event.getFormattedMessage());
        if (r == null) {
            return;
        }
        try {
            if (thrown == null && proxy != null) {
                // a deserialized event: the stack trace survives only as the proxy's text
                r.name(RecordNames.LOG_EXCEPTION).backtrace(ThrowableProxyUtil.asString(proxy));
            }
            if (event.hasCallerData()) {
                StackTraceElement[] callers = event.getCallerData();
                if (callers != null && callers.length > 0) {
                    LogRecords.location(r, callers[0].getFileName(), callers[0].getLineNumber());
                }
            }
            if (mdc != null && mdc.size() > correlationKeys(mdc)) { // more than our own two values
                for (Map.Entry<String, String> e : mdc.entrySet()) {
                    LogRecords.extra(r, e.getKey(), e.getValue());
                }
            }
            KeyValues.addTo(r, event);
        } finally {
            LogRecords.publish(tracing, r);
        }
    }

    private static int correlationKeys(Map<String, String> mdc) {
        return (mdc.containsKey(LogRecords.MDC_TRACE_ID) ? 1 : 0) + (mdc.containsKey(LogRecords.MDC_RPC_ID) ? 1 : 0);
    }
}
