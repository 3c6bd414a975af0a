package io.rpctrace.log4j2;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.filter.CompositeFilter;
import org.apache.logging.log4j.LogManager;
import org.junit.jupiter.api.Test;

/** TraceLog4j2.install: idempotent, re-installed on reconfiguration (the agent's entry point). */
class InstallTest {

    private static int filters(Configuration c) {
        Filter f = c.getFilter();
        int n = 0;
        if (f instanceof CompositeFilter) {
            for (Filter each : ((CompositeFilter) f).getFiltersArray()) {
                n += each instanceof TraceDebugFilter ? 1 : 0;
            }
        } else {
            n += f instanceof TraceDebugFilter ? 1 : 0;
        }
        return n;
    }

    private static int appenders(Configuration c) {
        int n = 0;
        for (Appender a : c.getRootLogger().getAppenders().values()) {
            n += a instanceof TraceAppender ? 1 : 0;
        }
        return n;
    }

    @Test
    void installIsIdempotentAndSurvivesReconfiguration() {
        LoggerContext ctx = new LoggerContext("install-test");
        ctx.start(new DefaultConfiguration());
        assertFalse(TraceLog4j2.hasDebugFilter(ctx.getConfiguration()));
        TraceLog4j2.install(ctx, true);
        TraceLog4j2.install(ctx, true);
        assertEquals(1, filters(ctx.getConfiguration()));
        assertEquals(1, appenders(ctx.getConfiguration()));
        ctx.setConfiguration(new DefaultConfiguration()); // what a reconfiguration does
        assertEquals(1, filters(ctx.getConfiguration()));
        assertEquals(1, appenders(ctx.getConfiguration()));
        ctx.stop();
    }

    @Test
    void recognisesPiecesConfiguredInXml() {
        Configuration c = ((LoggerContext) LogManager.getContext(false)).getConfiguration();
        assertTrue(TraceLog4j2.hasDebugFilter(c));
        assertTrue(TraceLog4j2.hasAppender(c));
        TraceLog4j2.install((LoggerContext) LogManager.getContext(false), true);
        assertEquals(1, filters(c));
        assertEquals(1, appenders(c));
    }
}
