package io.rpctrace.log4j2;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.Tracing;
import io.rpctrace.internal.logging.LogLevels;
import io.rpctrace.internal.logging.LogRecords;
import io.rpctrace.record.Level;
import io.rpctrace.record.Record;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Core;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginElement;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.util.ReadOnlyStringMap;
import org.apache.logging.log4j.util.TriConsumer;

/**
 * Turns Log4j2 events into {@code log.*} records (docs/logging.md#capture): TRACE to ERROR (and
 * FATAL) map to {@code log.trace} ... {@code log.error}, or {@code log.exception} with
 * {@code x_backtrace} when a throwable is attached; {@code x_module} is the logger name,
 * {@code x_msg} the formatted message (capped), the context data ({@code ThreadContext}) goes to
 * {@code x_extra}, {@code x_file}/{@code x_line} only when Log4j2 already computed the location.
 *
 * <p>Inside a trace, events at or above {@code logs.level} (default INFO) are captured, plus
 * those debug mode enabled; outside any trace only WARN and above, each as a trace of its own.
 * {@code logs.level=OFF} turns capture off. rpctrace's own loggers are never captured.
 * With asynchronous loggers the appender runs on another thread: the ids then come from the
 * event's context data, and debug-mode events below {@code logs.level} are not captured.
 *
 * <pre>{@code
 * <Appenders><Rpctrace name="RPCTRACE"/></Appenders>
 * <Loggers><Root level="INFO"><AppenderRef ref="RPCTRACE"/></Root></Loggers>
 * }</pre>
 */
@Plugin(name = TraceAppender.PLUGIN_NAME, category = Core.CATEGORY_NAME, elementType = Appender.ELEMENT_TYPE,
        printObject = true)
public final class TraceAppender extends AbstractAppender {
    /** The element name in {@code log4j2.xml}. */
    public static final String PLUGIN_NAME = "Rpctrace";

    private static final TriConsumer<String, Object, Record> EXTRA = new TriConsumer<String, Object, Record>() {
        @Override
        public void accept(String key, Object value, Record r) {
            if (value != null) {
                LogRecords.extra(r, key, String.valueOf(value));
            }
        }
    };

    private TraceAppender(String name, Filter filter) {
        super(name, filter, null, true, Property.EMPTY_ARRAY);
    }

    /** The plugin factory: {@code <Rpctrace name="RPCTRACE"/>}, optionally with a filter. */
    @PluginFactory
    public static TraceAppender create(@PluginAttribute("name") String name,
                                       @PluginElement("Filter") Filter filter) {
        return new TraceAppender(name == null || name.isEmpty() ? "RPCTRACE" : name, filter);
    }

    @Override
    public void append(LogEvent event) {
        try {
            capture(event);
        } catch (Throwable e) {
            if (Tracing.started()) {
                Tracing.get().internalErrors().incrementAndGet();
            }
        }
    }

    private static void capture(LogEvent event) {
        String loggerName = event.getLoggerName();
        if (LogRecords.ownLogger(loggerName)) {
            return;
        }
        Level level = LogLevels.fromLog4j(event.getLevel().intLevel());
        Scope scope = CurrentScope.get();
        ReadOnlyStringMap data = event.getContextData();
        String traceId = null;
        String rpcId = null;
        boolean inTrace = scope != null;
        if (!inTrace && data != null) {
            // an asynchronous logger's thread: the ids the provider put into the event
            Object t = data.getValue(LogRecords.MDC_TRACE_ID);
            Object r = data.getValue(LogRecords.MDC_RPC_ID);
            traceId = t == null ? null : t.toString();
            rpcId = r == null ? null : r.toString();
            inTrace = traceId != null && rpcId != null;
        }
        if (!inTrace && level.ordinal() < Level.WARN.ordinal()) {
            return; // never captured outside a trace; don't even start the tracer for it
        }
        Tracing tracing = Tracing.get();
        if (!LogLevels.captures(tracing, level, inTrace, scope != null && scope.debug())) {
            return;
        }
        Record r = LogRecords.begin(tracing, level, event.getThrown(), scope, traceId, rpcId,
                event.getTimeMillis(), event.getThreadId(), loggerName, event.getMessage().getFormattedMessage());
        if (r == null) {
            return;
        }
        try {
            StackTraceElement source = Locations.known(event);
            if (source != null) {
                LogRecords.location(r, source.getFileName(), source.getLineNumber());
            }
            if (data != null && data.size() > correlationKeys(data)) {
                data.forEach(EXTRA, r); // only when there is more than our own two values
            }
        } finally {
            LogRecords.publish(tracing, r);
        }
    }

    private static int correlationKeys(ReadOnlyStringMap data) {
        return (data.containsKey(LogRecords.MDC_TRACE_ID) ? 1 : 0) + (data.containsKey(LogRecords.MDC_RPC_ID) ? 1 : 0);
    }
}
