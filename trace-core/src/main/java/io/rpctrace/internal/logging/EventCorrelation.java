package io.rpctrace.internal.logging;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.ThreadSlot;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/**
 * Correlation added to a log event when the event reads its MDC, not when a scope changes
 * (the agent's Logback instrumentation, as OpenTelemetry's agent does it): a request that logs
 * nothing pays nothing, and the thread's MDC is never written.
 *
 * <pre>{@code
 * // exit advice of LoggingEvent.getMDCPropertyMap(): the event keeps the returned map
 * Map<String, String> withIds = EventCorrelation.withIds(returned);
 * }</pre>
 */
public final class EventCorrelation {
    // Design note: set once by the agent's instrumentation. The lazy MDC.put of
    // trace-logback's turbo filter then steps aside, so with the agent the MDC of the thread
    // stays the application's alone.
    private static volatile boolean agentInjects;
    // Design note: a request's events usually share one MDC map (Logback's adapter hands out
    // the same copy-on-write map until the MDC changes) and one current id, so the merged map
    // is built once per (MDC map, scope, counter) and reused. It is unmodifiable: events only
    // read it, and a change of any of the three gets a new map.
    private static final ThreadSlot<Last> LAST = new ThreadSlot<Last>() {
        @Override
        protected Last initialValue() {
            return new Last();
        }
    };

    /** The map this thread handed out last and what it was made from. */
    private static final class Last {
        Map<String, String> source;
        Scope scope;
        int counter;
        Map<String, String> merged;
    }

    private EventCorrelation() {
    }

    /** The agent adds the ids to each event: integrations need not write them into the MDC. */
    public static void agentInjects() {
        agentInjects = true;
    }

    /** True once the agent adds the ids to events itself. */
    public static boolean injectedByAgent() {
        return agentInjects;
    }

    /**
     * {@code mdc} plus {@code x_trace_id}/{@code x_rpc_id} of the current scope, as another
     * (unmodifiable) map; {@code mdc} itself when no scope is current or the event already
     * carries a trace id.
     */
    public static Map<String, String> withIds(Map<String, String> mdc) {
        // Logback reads an event's map several times (each %X, the appenders, deferred
        // processing), the merged map from the second read on: that answers before the
        // thread-local lookups (they were ~8 % of the application thread's CPU per INFO event)
        if (mdc != null && mdc.containsKey(LogRecords.MDC_TRACE_ID)) {
            return mdc;
        }
        Scope scope = CurrentScope.get();
        if (scope == null) {
            return mdc;
        }
        Last last = LAST.get();
        int counter = scope.counter();
        if (last.source == mdc && last.scope == scope && last.counter == counter) {
            return last.merged;
        }
        Map<String, String> m = mdc == null || mdc.isEmpty() ? new HashMap<String, String>(4)
                : new HashMap<String, String>(mdc);
        m.put(LogRecords.MDC_TRACE_ID, scope.traceId());
        m.put(LogRecords.MDC_RPC_ID, scope.callId(counter));
        last.source = mdc;
        last.scope = scope;
        last.counter = counter;
        last.merged = Collections.unmodifiableMap(m);
        return last.merged;
    }
}
