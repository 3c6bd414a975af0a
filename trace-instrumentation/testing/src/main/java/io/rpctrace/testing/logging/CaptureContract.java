package io.rpctrace.testing.logging;

import static io.rpctrace.testing.logging.LoggingFixture.APP_LOGGER;
import static io.rpctrace.testing.logging.LoggingFixture.SECRET;
import static io.rpctrace.testing.logging.LoggingFixture.TRACE_ID;
import static io.rpctrace.testing.logging.LoggingFixture.records;
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

/**
 * Capture (docs/logging.md#capture): the application's log events become {@code log.*}
 * records. A framework module's test extends this with its {@link LoggingBinding} and adds
 * the events only its framework can make (caller data, asynchronous appenders, key-value
 * pairs, FATAL).
 */
@SuppressWarnings("try") // spans opened only for their scope
public abstract class CaptureContract {
    /** The framework the application logs with. */
    protected final LoggingBinding binding;
    /** The application's logger ({@link LoggingFixture#APP_LOGGER}). */
    protected final AppLogger log;

    protected CaptureContract(LoggingBinding binding) {
        this.binding = binding;
        this.log = new AppLogger(binding, APP_LOGGER);
    }

    /** A record's {@code x_extra}. */
    @SuppressWarnings("unchecked")
    protected static Map<String, Object> extra(Map<String, Object> r) {
        return (Map<String, Object>) r.get("x_extra");
    }

    @Test
    public void levelledRecordsCarryTheFields() {
        CollectingWriter w = LoggingFixture.start();
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            binding.putContext("user", "u1");
            try {
                log.info("order {} created", 7);
                log.warn("stock low");
                log.error("payment declined");
                log.error("payment failed", new IllegalStateException("gateway down"));
            } finally {
                binding.removeContext("user");
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
            assertEquals(Collections.singletonMap("user", "u1"), extra(r), "the application's context without the correlation keys");
            assertFalse(r.containsKey("x_file"), "caller data is never computed for rpctrace");
        }
        assertEquals("order 7 created", records(w, "log.info").get(0).get("x_msg"));
        Map<String, Object> ex = records(w, "log.exception").get(0);
        assertEquals("payment failed", ex.get("x_msg"));
        assertTrue(((String) ex.get("x_backtrace")).startsWith("java.lang.IllegalStateException: gateway down"));
        assertFalse(records(w, "log.error").get(0).containsKey("x_backtrace"));
    }

    @Test
    public void outsideAnyTraceOnlyWarnAndAboveEachAsATraceOfItsOwn() {
        CollectingWriter w = LoggingFixture.start();
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
    public void logsLevelIsTheThresholdInsideATrace() {
        CollectingWriter w = LoggingFixture.start("logs.level", "WARN");
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            log.info("not captured");
            log.warn("captured");
        }
        assertTrue(records(w, "log.info").isEmpty());
        assertEquals(1, records(w, "log.warn").size());
        assertEquals(2, AppLines.lines().size(), "the application's own output is unchanged");
    }

    @Test
    public void logsLevelOffDisablesCapture() {
        CollectingWriter w = LoggingFixture.start("logs.level", "OFF");
        try (Span s = Trace.enter(Map.of("X-Trace-Id", TRACE_ID, "X-Rpc-Id", "0.3",
                "X-Debug", "1", "X-Debug-Token", SECRET)::get)) {
            log.debug("debug");
            log.error("error", new RuntimeException());
        }
        log.error("outside");
        assertEquals(Collections.singletonList("request.info"),
                Collections.singletonList(w.records().get(0).get("x_name")));
        assertEquals(1, w.records().size());
    }

    @Test
    public void rpctracesOwnLoggersNeverBecomeRecords() {
        CollectingWriter w = LoggingFixture.start();
        new AppLogger(binding, "io.rpctrace.internal.Tracing").warn("a diagnostic");
        new AppLogger(binding, "rpctrace").error("another");
        assertTrue(w.records().isEmpty(), w.lines().toString());
        assertEquals(2, AppLines.lines().size());
    }
}
