package io.rpctrace.log4j2;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.logging.LogRecords;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.apache.logging.log4j.core.util.ContextDataProvider;

/**
 * Correlation for Log4j2 (docs/logging.md#correlation): every event created while a scope is
 * current carries {@code x_trace_id} and {@code x_rpc_id} (the current id) in its context data, so
 * {@code %X{x_trace_id}} in a pattern and the keys of a JSON layout show them; outside a scope they
 * are absent. Found by {@code ServiceLoader} (Log4j2 2.13.2+): having {@code trace-log4j2} on the
 * class path is enough.
 *
 * <p>Log4j2 asks providers only when it creates an event, that is for events that passed the
 * level check: a request that logs nothing pays nothing, and {@code ThreadContext} is never
 * written (so {@code ThreadContext.get("x_trace_id")} is null; read {@code Trace.traceId()}).
 */
public final class TraceContextDataProvider implements ContextDataProvider {
    // Design note: a request usually logs several events with the same current id, so the
    // map is built once per (scope, counter) and reused: Log4j2 only reads it (it copies the
    // entries into the event), and a new id gets a new map, so a map handed out never changes.
    private static final ThreadLocal<Last> LAST = new ThreadLocal<Last>() {
        @Override
        protected Last initialValue() {
            return new Last();
        }
    };

    /** The map this thread handed out last and the id it holds. */
    private static final class Last {
        Scope scope;
        int counter;
        Map<String, String> map;
    }

    /** Created by {@code ServiceLoader}. */
    public TraceContextDataProvider() {
    }

    @Override
    public Map<String, String> supplyContextData() {
        Scope scope = CurrentScope.get();
        if (scope == null) {
            return Collections.emptyMap();
        }
        Last last = LAST.get();
        int counter = scope.counter();
        if (last.scope != scope || last.counter != counter) {
            Map<String, String> m = new HashMap<>(4);
            m.put(LogRecords.MDC_TRACE_ID, scope.traceId());
            m.put(LogRecords.MDC_RPC_ID, scope.callId(counter));
            last.map = Collections.unmodifiableMap(m);
            last.scope = scope;
            last.counter = counter;
        }
        return last.map;
    }

    /**
     * One value without building the map ({@code ContextDataProvider.getValue}, added in 2.24;
     * a plain method on older versions).
     */
    public Object getValue(String key) {
        if (LogRecords.MDC_TRACE_ID.equals(key) || LogRecords.MDC_RPC_ID.equals(key)) {
            return supplyContextData().get(key);
        }
        return null;
    }
}
