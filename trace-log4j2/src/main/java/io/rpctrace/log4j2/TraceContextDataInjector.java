package io.rpctrace.log4j2;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.logging.LogRecords;
import java.util.List;
import org.apache.logging.log4j.core.ContextDataInjector;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.util.ReadOnlyStringMap;
import org.apache.logging.log4j.util.StringMap;

/**
 * The agent's correlation for Log4j2: wraps the injector Log4j2 made
 * ({@code ContextDataInjectorFactory.createInjector()}) and adds {@code x_trace_id} and
 * {@code x_rpc_id} of the current scope to the context data of each event it creates. Log4j2
 * asks the injector only for events that passed the level check, so a request that logs nothing
 * pays nothing, and {@code ThreadContext} is never written. When the application ships
 * {@code trace-log4j2} itself its {@link TraceContextDataProvider} has added the ids already,
 * and this injector adds nothing.
 */
final class TraceContextDataInjector implements ContextDataInjector {
    private final ContextDataInjector delegate;

    TraceContextDataInjector(ContextDataInjector delegate) {
        this.delegate = delegate;
    }

    @Override
    public StringMap injectContextData(List<Property> properties, StringMap reusable) {
        StringMap m = delegate.injectContextData(properties, reusable);
        Scope scope = CurrentScope.get();
        if (scope == null || (m != null && m.containsKey(LogRecords.MDC_TRACE_ID))) {
            return m;
        }
        if (m == null || m != reusable || m.isFrozen()) {
            // the delegate may hand out ThreadContext's own immutable map: never write into it
            StringMap copy = ContextDataFactory.createContextData((m == null ? 0 : m.size()) + 2);
            if (m != null) {
                copy.putAll(m);
            }
            m = copy;
        }
        m.putValue(LogRecords.MDC_TRACE_ID, scope.traceId());
        m.putValue(LogRecords.MDC_RPC_ID, scope.currentId());
        return m;
    }

    @Override
    public ReadOnlyStringMap rawContextData() {
        return delegate.rawContextData();
    }

    /** {@code ContextDataInjector.getValue} (a default method since 2.24): the ids, then the delegate's data. */
    public Object getValue(String key) {
        Scope scope = CurrentScope.get();
        if (scope != null) {
            if (LogRecords.MDC_TRACE_ID.equals(key)) {
                return scope.traceId();
            }
            if (LogRecords.MDC_RPC_ID.equals(key)) {
                return scope.currentId();
            }
        }
        ReadOnlyStringMap raw = delegate.rawContextData();
        return raw == null ? null : raw.getValue(key);
    }
}
