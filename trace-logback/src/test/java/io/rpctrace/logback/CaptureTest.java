package io.rpctrace.logback;

import static io.rpctrace.testing.logging.LoggingFixture.APP_LOGGER;
import static io.rpctrace.testing.logging.LoggingFixture.TRACE_ID;
import static io.rpctrace.testing.logging.LoggingFixture.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.logging.CaptureContract;
import io.rpctrace.testing.logging.LoggingFixture;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Capture on Logback (TraceAppender), plus what only Logback events carry. */
@SuppressWarnings("try") // spans opened only for their scope
class CaptureTest extends CaptureContract {
    private final Logger slf4j = LoggerFactory.getLogger(APP_LOGGER);

    CaptureTest() {
        super(new LogbackBinding());
    }

    @Test
    void callerDataIsUsedWhenTheEventAlreadyHasIt() {
        CollectingWriter w = LoggingFixture.start();
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ch.qos.logback.classic.Logger logger = ctx.getLogger(APP_LOGGER);
        LoggingEvent e = new LoggingEvent(CaptureTest.class.getName(), logger,
                ch.qos.logback.classic.Level.WARN, "located", null, null);
        e.setCallerData(new StackTraceElement[] {
            new StackTraceElement("com.acme.OrderService", "create", "OrderService.java", 42)});
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("RPCTRACE").doAppend(e);
        Map<String, Object> r = records(w, "log.warn").get(0);
        assertEquals("OrderService.java", r.get("x_file"));
        assertEquals("42", r.get("x_line"));
    }

    /** Behind an AsyncAppender the scope is not current: the ids come from the event's MDC. */
    @Test
    void onAnotherThreadTheIdsComeFromTheEventsMdc() {
        CollectingWriter w = LoggingFixture.start();
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        LoggingEvent e = new LoggingEvent(CaptureTest.class.getName(), ctx.getLogger(APP_LOGGER),
                ch.qos.logback.classic.Level.INFO, "queued", null, null);
        java.util.Map<String, String> mdc = new java.util.HashMap<>();
        mdc.put("x_trace_id", TRACE_ID);
        mdc.put("x_rpc_id", "0.3.2");
        e.setMDCPropertyMap(mdc);
        ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getAppender("RPCTRACE").doAppend(e);
        Map<String, Object> r = records(w, "log.info").get(0);
        assertEquals(TRACE_ID, r.get("x_trace_id"));
        assertEquals("0.3.2", r.get("x_rpc_id"));
        assertFalse(r.containsKey("x_extra"));
    }

    /** SLF4J 2's fluent API (Logback 1.3+): key-value pairs land in x_extra. Skipped on SLF4J 1.7. */
    @Test
    void keyValuePairsGoToExtra() throws Exception {
        Method atInfo;
        try {
            atInfo = Logger.class.getMethod("atInfo");
        } catch (NoSuchMethodException e) {
            atInfo = null;
        }
        Assumptions.assumeTrue(atInfo != null, "SLF4J 1.7 has no key-value pairs");
        CollectingWriter w = LoggingFixture.start();
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            // reflection only because these tests also compile against SLF4J 1.7
            Object builder = atInfo.invoke(slf4j);
            Class<?> leb = Class.forName("org.slf4j.spi.LoggingEventBuilder");
            builder = leb.getMethod("addKeyValue", String.class, Object.class).invoke(builder, "order", 7);
            leb.getMethod("log", String.class).invoke(builder, "created");
        }
        Map<String, Object> r = records(w, "log.info").get(0);
        assertEquals("created", r.get("x_msg"));
        assertEquals(Collections.singletonMap("order", "7"), extra(r));
    }
}
