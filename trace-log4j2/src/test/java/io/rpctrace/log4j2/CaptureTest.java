package io.rpctrace.log4j2;

import static io.rpctrace.log4j2.Fixture.APP_LOGGER;
import static io.rpctrace.log4j2.Fixture.TRACE_ID;
import static io.rpctrace.log4j2.Fixture.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;

/** SPEC §6 capture: application log events become log.* records. */
@SuppressWarnings("try") // spans opened only for their scope
class CaptureTest {
    private final Logger log = LogManager.getLogger(APP_LOGGER);

    @SuppressWarnings("unchecked")
    private static Map<String, Object> extra(Map<String, Object> r) {
        return (Map<String, Object>) r.get("x_extra");
    }

    @Test
    void levelledRecordsCarryTheFields() {
        CollectingWriter w = Fixture.start();
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            ThreadContext.put("user", "u1");
            try {
                log.info("order {} created", 7);
                log.warn("stock low");
                log.error("payment declined");
                log.error("payment failed", new IllegalStateException("gateway down"));
            } finally {
                ThreadContext.remove("user");
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
            assertEquals(Collections.singletonMap("user", "u1"), extra(r), "context data without the correlation keys");
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
        LogManager.getLogger("io.rpctrace.internal.Tracing").warn("a diagnostic");
        LogManager.getLogger("rpctrace").error("another");
        assertTrue(w.records().isEmpty(), w.lines().toString());
        assertEquals(2, LinesAppender.lines().size());
    }

    @Test
    void locationIsUsedWhenTheEventAlreadyHasIt() {
        CollectingWriter w = Fixture.start();
        LogEvent e = Log4jLogEvent.newBuilder().setLoggerName(APP_LOGGER).setLevel(Level.WARN)
                .setMessage(new SimpleMessage("located")).setIncludeLocation(true)
                .setSource(new StackTraceElement("com.acme.OrderService", "create", "OrderService.java", 42))
                .build();
        ((LoggerContext) LogManager.getContext(false)).getConfiguration().getAppender("RPCTRACE").append(e);
        Map<String, Object> r = records(w, "log.warn").get(0);
        assertEquals("OrderService.java", r.get("x_file"));
        assertEquals("42", r.get("x_line"));
    }

    /** With asynchronous loggers the scope is not current: the ids come from the event's context data. */
    @Test
    void onAnotherThreadTheIdsComeFromTheEventsContextData() {
        CollectingWriter w = Fixture.start();
        org.apache.logging.log4j.util.StringMap data = org.apache.logging.log4j.core.impl.ContextDataFactory.createContextData();
        data.putValue("x_trace_id", TRACE_ID);
        data.putValue("x_rpc_id", "0.3.2");
        data.putValue("user", "u1");
        LogEvent e = Log4jLogEvent.newBuilder().setLoggerName(APP_LOGGER).setLevel(Level.INFO)
                .setMessage(new SimpleMessage("queued")).setContextData(data).build();
        ((LoggerContext) LogManager.getContext(false)).getConfiguration().getAppender("RPCTRACE").append(e);
        Map<String, Object> r = records(w, "log.info").get(0);
        assertEquals(TRACE_ID, r.get("x_trace_id"));
        assertEquals("0.3.2", r.get("x_rpc_id"));
        assertEquals(Collections.singletonMap("user", "u1"), extra(r));
    }

    @Test
    void fatalIsLogError() {
        CollectingWriter w = Fixture.start();
        log.fatal("meltdown");
        assertEquals("meltdown", records(w, "log.error").get(0).get("x_msg"));
    }
}
