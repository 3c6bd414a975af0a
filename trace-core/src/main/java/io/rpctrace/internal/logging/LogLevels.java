package io.rpctrace.internal.logging;

import io.rpctrace.context.Scope;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.Level;

/**
 * Which levels a logging integration enables and captures (docs/logging.md#capture).
 *
 * <pre>{@code
 * Level level = LogLevels.fromLogback(event.getLevel().toInt());
 * if (scope != null && scope.debug() && LogLevels.debugEnables(level)) return ACCEPT;   // per-request debug
 * if (LogLevels.captures(Tracing.get(), level, scope != null, scope != null && scope.debug())) ...
 * }</pre>
 */
public final class LogLevels {
    // Logback's Level.toInt() values: higher is more severe.
    private static final int LOGBACK_ERROR = 40000;
    private static final int LOGBACK_WARN = 30000;
    private static final int LOGBACK_INFO = 20000;
    private static final int LOGBACK_DEBUG = 10000;
    // Log4j2's Level.intLevel() values: lower is more severe (FATAL 100, ERROR 200 ... TRACE 600).
    private static final int LOG4J_ERROR = 200;
    private static final int LOG4J_WARN = 300;
    private static final int LOG4J_INFO = 400;
    private static final int LOG4J_DEBUG = 500;

    private LogLevels() {
    }

    /** Our level for a Logback {@code Level.toInt()} (custom values fall into the band below them). */
    public static Level fromLogback(int levelInt) {
        if (levelInt >= LOGBACK_ERROR) {
            return Level.ERROR;
        }
        if (levelInt >= LOGBACK_WARN) {
            return Level.WARN;
        }
        if (levelInt >= LOGBACK_INFO) {
            return Level.INFO;
        }
        if (levelInt >= LOGBACK_DEBUG) {
            return Level.DEBUG;
        }
        return Level.TRACE;
    }

    /**
     * Our level for a Log4j2 {@code Level.intLevel()}: FATAL and ERROR are {@code ERROR};
     * custom levels fall into the band of the next standard level above them.
     */
    public static Level fromLog4j(int intLevel) {
        if (intLevel <= LOG4J_ERROR) {
            return Level.ERROR;
        }
        if (intLevel <= LOG4J_WARN) {
            return Level.WARN;
        }
        if (intLevel <= LOG4J_INFO) {
            return Level.INFO;
        }
        if (intLevel <= LOG4J_DEBUG) {
            return Level.DEBUG;
        }
        return Level.TRACE;
    }

    /**
     * True when debug mode enables {@code level} for a trace in debug mode: {@code level} is
     * at or above {@code debug.level} (DEBUG by default, TRACE allowed). Callers check
     * {@code scope.debug()} first, which is the cheap part.
     */
    public static boolean debugEnables(Level level) {
        return Tracing.get().debugLevel().admits(level);
    }

    /** {@link #debugEnables(Level)} for the scope current on this thread (null: outside any). */
    public static boolean debugEnables(Scope scope, Level level) {
        return scope != null && scope.debug() && debugEnables(level);
    }

    /**
     * True when an event at {@code level} becomes a record: never with {@code logs.level=OFF};
     * inside a trace at or above {@code logs.level}, or at or above {@code debug.level} when
     * the trace is in debug mode; outside any trace only WARN and above (and at or above
     * {@code logs.level}).
     */
    public static boolean captures(Tracing tracing, Level level, boolean inTrace, boolean debug) {
        Level threshold = tracing.logsLevel();
        if (threshold == Level.OFF) {
            return false;
        }
        if (!inTrace) {
            return level.ordinal() >= Level.WARN.ordinal() && threshold.admits(level);
        }
        return threshold.admits(level) || debug && tracing.debugLevel().admits(level);
    }
}
