package io.rpctrace.log4j2;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.filter.CompositeFilter;

/**
 * Installs {@link TraceDebugFilter} (as a global filter) and {@link TraceAppender} (on the
 * root logger) into a Log4j2 context from code, for applications that do not name them in
 * {@code log4j2.xml} and for the agent's Log4j2 instrumentation. Idempotent: pieces already
 * present (configured in XML, installed before, or loaded by another class loader) are
 * recognised by class name. Re-installed each time the context gets a new configuration
 * (reconfiguration, {@code monitorInterval}, Spring Boot's start-up).
 *
 * <pre>{@code
 * TraceLog4j2.install((LoggerContext) LogManager.getContext(false), true);
 * }</pre>
 *
 * <p>Correlation needs no installation: {@link TraceContextDataProvider} is found by
 * {@code ServiceLoader}.
 */
public final class TraceLog4j2 {
    private static final Map<LoggerContext, Boolean> WATCHED =
            Collections.synchronizedMap(new WeakHashMap<LoggerContext, Boolean>());

    private TraceLog4j2() {
    }

    /**
     * Adds the debug filter and, when {@code capture} is true, the appender on the root logger,
     * now and on every later configuration of {@code context}.
     */
    public static void install(LoggerContext context, boolean capture) {
        installNow(context, context.getConfiguration(), capture);
        if (WATCHED.put(context, Boolean.valueOf(capture)) == null) {
            context.addPropertyChangeListener(new Reinstaller(context, capture));
        }
    }

    /** True when {@code config} has a {@link TraceDebugFilter} among its global filters. */
    public static boolean hasDebugFilter(Configuration config) {
        Filter f = config.getFilter();
        if (f instanceof CompositeFilter) {
            for (Filter each : ((CompositeFilter) f).getFiltersArray()) {
                if (isOurs(each, TraceDebugFilter.class)) {
                    return true;
                }
            }
            return false;
        }
        return isOurs(f, TraceDebugFilter.class);
    }

    /** True when a {@link TraceAppender} is attached to the root logger of {@code config}. */
    public static boolean hasAppender(Configuration config) {
        for (Appender a : config.getRootLogger().getAppenders().values()) {
            if (isOurs(a, TraceAppender.class)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOurs(Object o, Class<?> type) {
        return o != null && o.getClass().getName().equals(type.getName());
    }

    static synchronized void installNow(LoggerContext context, Configuration config, boolean capture) {
        boolean changed = false;
        if (!hasDebugFilter(config)) {
            TraceDebugFilter f = TraceDebugFilter.create();
            f.start();
            config.addFilter(f);
            changed = true;
        }
        if (capture && !hasAppender(config)) {
            TraceAppender a = TraceAppender.create("RPCTRACE", null);
            a.start();
            config.addAppender(a);
            LoggerConfig root = config.getRootLogger();
            root.addAppender(a, null, null);
            changed = true;
        }
        if (changed && context.getConfiguration() == config) {
            context.updateLoggers();
        }
    }

    /** Re-installs when the context switches to a new configuration. */
    private static final class Reinstaller implements PropertyChangeListener {
        private final LoggerContext context;
        private final boolean capture;

        Reinstaller(LoggerContext context, boolean capture) {
            this.context = context;
            this.capture = capture;
        }

        @Override
        public void propertyChange(PropertyChangeEvent evt) {
            if (LoggerContext.PROPERTY_CONFIG.equals(evt.getPropertyName())
                    && evt.getNewValue() instanceof Configuration) {
                installNow(context, (Configuration) evt.getNewValue(), capture);
            }
        }
    }
}
