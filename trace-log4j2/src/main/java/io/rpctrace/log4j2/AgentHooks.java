package io.rpctrace.log4j2;

import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;
import org.apache.logging.log4j.core.ContextDataInjector;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.NullConfiguration;

/**
 * What the agent's Log4j2 instrumentation calls; not for applications (they name the plugins
 * in {@code log4j2.xml} or call {@link TraceLog4j2#install}). One instance per Log4j2 class
 * loader, typed by JDK interfaces so that the agent's advice needs none of these classes.
 *
 * <ul>
 *   <li>{@link #accept}: a {@code LoggerContext} switched to {@code Configuration}: add the
 *       debug filter and the appender unless the configuration has them;</li>
 *   <li>{@link #apply}: wrap the injector Log4j2 made, to add the ids to each event.</li>
 * </ul>
 */
public final class AgentHooks implements BiConsumer<Object, Object>, UnaryOperator<Object> {
    /** Made by the agent. */
    public AgentHooks() {
    }

    @Override
    public void accept(Object loggerContext, Object configuration) {
        if (configuration instanceof NullConfiguration) {
            return; // what a stopped context switches to: nothing is logged there
        }
        TraceLog4j2.installNow((LoggerContext) loggerContext, (Configuration) configuration, true);
    }

    @Override
    public Object apply(Object injector) {
        if (injector == null || injector instanceof TraceContextDataInjector) {
            return injector;
        }
        return new TraceContextDataInjector((ContextDataInjector) injector);
    }
}
