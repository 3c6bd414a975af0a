package io.rpctrace.log4j2;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.logging.LogLevels;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.core.filter.AbstractFilter;
import org.apache.logging.log4j.message.Message;

/**
 * Per-request debug logging for Log4j2 (docs/logging.md#debug-for-one-request), as a global filter:
 * while the current scope is in debug mode, every logger is enabled down to {@code debug.level}
 * (DEBUG, or TRACE) on that thread only; {@code isDebugEnabled()} answers true there and the events
 * go to the application's appenders as usual. Every other request and thread sees the configured
 * levels unchanged: outside a debug trace the filter answers NEUTRAL after one thread-local read,
 * and Log4j2 compares with the logger's level as it always does.
 *
 * <pre>{@code
 * <Configuration>
 *   <RpctraceDebugFilter/>
 *   ...
 * }</pre>
 *
 * <p>Every {@code filter} overload is implemented: {@code AbstractFilter}'s defaults box the
 * parameters into an array on each call.
 */
@Plugin(name = TraceDebugFilter.PLUGIN_NAME, category = Node.CATEGORY, elementType = Filter.ELEMENT_TYPE,
        printObject = true)
public final class TraceDebugFilter extends AbstractFilter {
    /** The element name in {@code log4j2.xml}. */
    public static final String PLUGIN_NAME = "RpctraceDebugFilter";

    private TraceDebugFilter() {
        super(Result.NEUTRAL, Result.NEUTRAL);
    }

    /** A new filter (the plugin factory). */
    @PluginFactory
    public static TraceDebugFilter create() {
        return new TraceDebugFilter();
    }

    private static Result decide(Level level) {
        if (!Scope.debugSeen()) {
            return Result.NEUTRAL; // no debug trace yet in this JVM: no thread-local read
        }
        Scope scope = CurrentScope.get();
        if (scope == null || !scope.debug() || level == null) {
            return Result.NEUTRAL;
        }
        try {
            return LogLevels.debugEnables(LogLevels.fromLog4j(level.intLevel())) ? Result.ACCEPT : Result.NEUTRAL;
        } catch (RuntimeException e) {
            return Result.NEUTRAL; // never break the application's logging
        }
    }

    @Override
    public Result filter(LogEvent event) {
        return decide(event.getLevel());
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, Message msg, Throwable t) {
        return decide(level);
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, Object msg, Throwable t) {
        return decide(level);
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object... params) {
        return decide(level);
    }

    /** Added to {@code Filter} in 2.24 (a default method there); a plain method on older versions. */
    public Result filter(Logger logger, Level level, Marker marker, String msg) {
        return decide(level);
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0) {
        return decide(level);
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1) {
        return decide(level);
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1, Object p2) {
        return decide(level);
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1, Object p2, Object p3) {
        return decide(level);
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1, Object p2, Object p3, Object p4) {
        return decide(level);
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1, Object p2, Object p3, Object p4, Object p5) {
        return decide(level);
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1, Object p2, Object p3, Object p4, Object p5, Object p6) {
        return decide(level);
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1, Object p2, Object p3, Object p4, Object p5, Object p6, Object p7) {
        return decide(level);
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1, Object p2, Object p3, Object p4, Object p5, Object p6, Object p7, Object p8) {
        return decide(level);
    }

    @Override
    public Result filter(Logger logger, Level level, Marker marker, String msg, Object p0, Object p1, Object p2, Object p3, Object p4, Object p5, Object p6, Object p7, Object p8, Object p9) {
        return decide(level);
    }
}
