package io.rpctrace.logback;

import static io.rpctrace.logback.Fixture.APP_LOGGER;
import static io.rpctrace.logback.Fixture.TRACE_ID;
import static io.rpctrace.logback.Fixture.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** SPEC §6 capture: application log events become log.* records. */
@SuppressWarnings("try") // spans opened only for their scope
class CaptureTest {
    private final Logger log = LoggerFactory.getLogger(APP_LOGGER);

    @SuppressWarnings("unchecked")
    private static Map<String, Object> extra(Map<String, Object> r) {
        return (Map<String, Object>) r.get("x_extra");
    }

    @Test
    void levelledRecordsCarryTheFields() {
        CollectingWriter w = Fixture.start();
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            MDC.put("user", "u1");
            try {
                log.info("order {} created", 7);
                log.warn("stock low");
                log.error("payment declined");
                log.error("payment failed", new IllegalStateException("gateway down"));
            } finally {
                MDC.remove("user");
            }
        }
        for (String name : new String[] {"log.info", "log.warn", "log.error", "log.exception"}) {
            List<Map<String, Object>> rs = records(w, name);
            assertEquals(1, rs.size(), name + " in " + w.lines());
            Map<String, Object> r = rs.get(0);
            assertEquals(TRACE_ID, r.get("x_trace_id"));
            assertEquals("0.3.1", r.get("x_rpc_id"));
            assertEquals(APP_LOGGER, r.get("x_module"));
            assertTrue(r.get("x_timestamp") instanceof Long);
            assertTrue(((String) r.get("x_pid")).contains("-"));
            assertEquals(Collections.singletonMap("user", "u1"), extra(r), "MDC without the correlation keys");
            assertFalse(r.containsKey("x_file"), "caller data is never computed for rpctrace");
        }
        assertEquals("order 7 created", records(w, "log.info").get(0).get("x_msg"));
        Map<String, Object> ex = records(w, "log.exception").get(0);
        assertEquals("payment failed", ex.get("x_msg"));
        assertTrue(((String) ex.get("x_backtrace")).startsWith("java.lang.IllegalStateException: gateway down"));
        assertFalse(records(w, "log.error").get(0).containsKey("x_backtrace"));
    }

    @Test
    void outsideAnyTraceOnlyWarnAndAboveEachAsATraceOfItsOwn() {
        CollectingWriter w = Fixture.start();
        log.info("start-up");
        log.warn("disk 91% full");
        log.error("cannot reach the cache");
        assertTrue(records(w, "log.info").isEmpty());
        Map<String, Object> warn = records(w, "log.warn").get(0);
        Map<String, Object> error = records(w, "log.error").get(0);
        assertEquals("0.1", warn.get("x_rpc_id"));
        assertEquals(32, ((String) warn.get("x_trace_id")).length());
        assertNotEquals(warn.get("x_trace_id"), error.get("x_trace_id"));
    }

    @Test
    void logsLevelIsTheThresholdInsideATrace() {
        CollectingWriter w = Fixture.start("logs.level", "WARN");
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            log.info("not captured");
            log.warn("captured");
        }
        assertTrue(records(w, "log.info").isEmpty());
        assertEquals(1, records(w, "log.warn").size());
        assertEquals(2, LinesAppender.lines().size(), "the application's own output is unchanged");
    }

    @Test
    void logsLevelOffDisablesCapture() {
        CollectingWriter w = Fixture.start("logs.level", "OFF");
        try (Span s = Trace.enter(Map.of("X-Trace-Id", TRACE_ID, "X-Rpc-Id", "0.3",
                "X-Debug", "1", "X-Debug-Token", Fixture.SECRET)::get)) {
            log.debug("debug");
            log.error("error", new RuntimeException());
        }
        log.error("outside");
        assertEquals(Collections.singletonList("request.info"),
                Collections.singletonList(w.records().get(0).get("x_name")));
        assertEquals(1, w.records().size());
    }

    @Test
    void rpctracesOwnLoggersNeverBecomeRecords() {
        CollectingWriter w = Fixture.start();
        LoggerFactory.getLogger("io.rpctrace.internal.Tracing").warn("a diagnostic");
        LoggerFactory.getLogger("rpctrace").error("another");
        assertTrue(w.records().isEmpty(), w.lines().toString());
        assertEquals(2, LinesAppender.lines().size());
    }

    @Test
    void callerDataIsUsedWhenTheEventAlreadyHasIt() {
        CollectingWriter w = Fixture.start();
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
        CollectingWriter w = Fixture.start();
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
        CollectingWriter w = Fixture.start();
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            // reflection only because these tests also compile against SLF4J 1.7
            Object builder = atInfo.invoke(log);
            Class<?> leb = Class.forName("org.slf4j.spi.LoggingEventBuilder");
            builder = leb.getMethod("addKeyValue", String.class, Object.class).invoke(builder, "order", 7);
            leb.getMethod("log", String.class).invoke(builder, "created");
        }
        Map<String, Object> r = records(w, "log.info").get(0);
        assertEquals("created", r.get("x_msg"));
        assertEquals(Collections.singletonMap("order", "7"), extra(r));
    }
}
