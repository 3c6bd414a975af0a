package io.rpctrace.bench;

import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.ContextDataInjector;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.util.ReadOnlyStringMap;
import org.apache.logging.log4j.util.StringMap;

/**
 * The Log4j2 baseline without rpctrace's correlation: copies the ThreadContext only and
 * ignores {@code ContextDataProvider}s (rpctrace's provider is found by ServiceLoader as soon
 * as trace-log4j2 is on the class path, so the baseline forks select this injector with
 * {@code -Dlog4j2.ContextDataInjector}).
 */
public final class ThreadContextOnlyInjector implements ContextDataInjector {

    @Override
    public StringMap injectContextData(List<Property> properties, StringMap reusable) {
        Map<String, String> m = ThreadContext.getImmutableContext();
        if (!m.isEmpty()) {
            for (Map.Entry<String, String> e : m.entrySet()) {
                reusable.putValue(e.getKey(), e.getValue());
            }
        }
        return reusable;
    }

    @Override
    @SuppressWarnings("deprecation") // deprecated in 2.24, still abstract: must be implemented
    public ReadOnlyStringMap rawContextData() {
        return ThreadContext.getThreadContextMap().getReadOnlyContextData();
    }
}
