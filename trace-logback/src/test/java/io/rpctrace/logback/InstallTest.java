package io.rpctrace.logback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.Iterator;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** TraceLogback.install: idempotent, survives reconfiguration (the agent's entry point). */
class InstallTest {

    private static int turboFilters(LoggerContext ctx) {
        int n = 0;
        for (TurboFilter f : ctx.getTurboFilterList()) {
            n += f instanceof TraceTurboFilter ? 1 : 0;
        }
        return n;
    }

    private static int appenders(LoggerContext ctx) {
        int n = 0;
        Iterator<Appender<ILoggingEvent>> it = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders();
        while (it.hasNext()) {
            n += it.next() instanceof TraceAppender ? 1 : 0;
        }
        return n;
    }

    @Test
    void installIsIdempotentAndSurvivesReset() {
        LoggerContext ctx = new LoggerContext();
        TraceLogback.install(ctx, true);
        TraceLogback.install(ctx, true);
        assertEquals(1, turboFilters(ctx));
        assertEquals(1, appenders(ctx));
        ctx.reset(); // what Spring Boot and logback's own reconfiguration do
        assertEquals(1, turboFilters(ctx));
        assertEquals(1, appenders(ctx));
        TraceLogback.install(ctx, true);
        assertEquals(1, turboFilters(ctx));
        assertEquals(1, appenders(ctx));
        ctx.stop();
    }

    @Test
    void correlationOnlyWithoutCapture() {
        LoggerContext ctx = new LoggerContext();
        TraceLogback.install(ctx, false);
        assertEquals(1, turboFilters(ctx));
        assertEquals(0, appenders(ctx));
        ctx.stop();
    }

    @Test
    void recognisesPiecesConfiguredInXml() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertTrue(TraceLogback.hasTurboFilter(ctx));
        assertTrue(TraceLogback.hasAppender(ctx));
    }
}
