package io.rpctrace.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.logging.EventCorrelation;
import io.rpctrace.internal.logging.LogLevels;
import org.slf4j.Marker;

/**
 * Per-request debug logging and log correlation for Logback (docs/logging.md#debug-for-one-request,
 * #correlation).
 *
 * <ul>
 *   <li>While the current scope is in debug mode, every logger is enabled down to
 *       {@code debug.level} (DEBUG, or TRACE) on that thread only: {@code isDebugEnabled()}
 *       answers true and the events reach the application's own appenders as usual. Every
 *       other request and thread sees the configured levels unchanged.</li>
 *   <li>Every event that will be logged while a scope is current carries the MDC values
 *       {@code x_trace_id} and {@code x_rpc_id} (the current id), so {@code %X{x_trace_id}}
 *       works in any pattern; outside a scope they are absent.</li>
 * </ul>
 *
 * <pre>{@code <turboFilter class="io.rpctrace.logback.TraceTurboFilter"/>}</pre>
 *
 * <p>Outside a debug trace the cost of a disabled {@code logger.debug(...)} is one volatile read
 * and one level comparison until the JVM's first debug request, then one thread-local read more.
 */
public class TraceTurboFilter extends TurboFilter {

    /** Named {@code rpctrace} unless configured otherwise. */
    public TraceTurboFilter() {
        setName("rpctrace");
    }

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
                              Throwable t) {
        if (!Scope.debugSeen()) {
            // No debug trace yet in this JVM: what is left is the MDC correlation, only without
            // the agent (which adds the ids to the event) and only for an event that will be
            // logged. A disabled logger.debug(...) costs no thread-local read.
            if (!EventCorrelation.injectedByAgent() && level.levelInt >= logger.getEffectiveLevel().levelInt) {
                updateMdc(CurrentScope.get());
            }
            return FilterReply.NEUTRAL;
        }
        Scope scope = CurrentScope.get();
        if (scope != null && scope.debug()) {
            try {
                if (LogLevels.debugEnables(LogLevels.fromLogback(level.levelInt))) {
                    updateMdc(scope);
                    return FilterReply.ACCEPT;
                }
            } catch (RuntimeException e) {
                return FilterReply.NEUTRAL; // never break the application's logging
            }
        }
        // NEUTRAL lets Logback compare with the logger's level as usual; the MDC is only
        // touched when that comparison will let the event through.
        if (level.levelInt >= logger.getEffectiveLevel().levelInt) {
            updateMdc(scope);
        }
        return FilterReply.NEUTRAL;
    }

    private static void updateMdc(Scope scope) {
        // with the agent the ids are added to each event when it reads the MDC
        // (EventCorrelation): the thread's MDC is left alone
        if (!EventCorrelation.injectedByAgent()) {
            MdcCorrelation.update(scope);
        }
    }
}
