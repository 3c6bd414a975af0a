package io.rpctrace.log4j2;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.logging.LogRecords;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.apache.logging.log4j.core.util.ContextDataProvider;

/**
 * Correlation for Log4j2 (SPEC §6): every event created while a scope is current carries
 * {@code x_trace_id} and {@code x_rpc_id} (the current id) in its context data, so
 * {@code %X{x_trace_id}} in a pattern and the keys of a JSON layout show them; outside a scope
 * they are absent. Found by {@code ServiceLoader} (Log4j2 2.13.2+): having {@code trace-log4j2}
 * on the class path is enough.
 *
 * <p>Log4j2 asks providers only when it creates an event, that is for events that passed the
 * level check: a request that logs nothing pays nothing, and {@code ThreadContext} is never
 * written (so {@code ThreadContext.get("x_trace_id")} is null; read {@code Trace.traceId()}).
 */
public final class TraceContextDataProvider implements ContextDataProvider {

    /** Created by {@code ServiceLoader}. */
    public TraceContextDataProvider() {
    }

    @Override
    public Map<String, String> supplyContextData() {
        Scope scope = CurrentScope.get();
        if (scope == null) {
            return Collections.emptyMap();
        }
        Map<String, String> m = new HashMap<>(4);
        m.put(LogRecords.MDC_TRACE_ID, scope.traceId());
        m.put(LogRecords.MDC_RPC_ID, scope.currentId());
        return m;
    }

    /**
     * One value without building the map ({@code ContextDataProvider.getValue}, added in 2.24;
     * a plain method on older versions).
     */
    public Object getValue(String key) {
        Scope scope = CurrentScope.get();
        if (scope == null) {
            return null;
        }
        if (LogRecords.MDC_TRACE_ID.equals(key)) {
            return scope.traceId();
        }
        if (LogRecords.MDC_RPC_ID.equals(key)) {
            return scope.currentId();
        }
        return null;
    }
}
