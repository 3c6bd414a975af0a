package io.rpctrace.internal.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.config.Config;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.Level;
import io.rpctrace.record.Record;
import java.util.Collections;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Filling log.* records from framework events (docs/logging.md#capture). */
class LogRecordsTest {
    private final CollectingWriter writer = new CollectingWriter();
    private Tracing tracing;

    @BeforeEach
    void start() {
        tracing = Tracing.start(Config.of(Collections.<String, String>emptyMap()), writer);
    }

    private Map<String, Object> only() {
        assertEquals(1, writer.records().size(), writer.lines().toString());
        return writer.records().get(0);
    }

    @Test
    void insideAScopeTheRecordCarriesTheCurrentId() {
        Scope s = Scope.enter("4bf92f3577b34da6a3ce929d0e0e4736", "0.3", false);
        Record r = LogRecords.begin(tracing, Level.WARN, null, s, null, null, 1763800000123L, 7,
                "com.acme.Orders", "stock low");
        LogRecords.extra(r, "user", "u1");
        LogRecords.extra(r, LogRecords.MDC_TRACE_ID, "ignored");
        LogRecords.extra(r, LogRecords.MDC_RPC_ID, "ignored");
        LogRecords.location(r, "Orders.java", 42);
        LogRecords.publish(tracing, r);
        Map<String, Object> rec = only();
        assertEquals("log.warn", rec.get("x_name"));
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", rec.get("x_trace_id"));
        assertEquals("0.3.1", rec.get("x_rpc_id"));
        assertEquals(1763800000L, rec.get("x_timestamp"));
        assertEquals("com.acme.Orders", rec.get("x_module"));
        assertEquals("stock low", rec.get("x_msg"));
        assertEquals("Orders.java", rec.get("x_file"));
        assertEquals("42", rec.get("x_line"));
        assertEquals(Collections.singletonMap("user", "u1"), rec.get("x_extra"));
    }

    @Test
    void aThrowableMakesLogException() {
        Record r = LogRecords.begin(tracing, Level.ERROR, new IllegalStateException("boom"), null,
                null, null, 0, 1, "m", "failed");
        LogRecords.publish(tracing, r);
        Map<String, Object> rec = only();
        assertEquals("log.exception", rec.get("x_name"));
        assertTrue(((String) rec.get("x_backtrace")).contains("IllegalStateException: boom"));
        assertEquals("failed", rec.get("x_msg"));
    }

    @Test
    void outsideAScopeRule6GivesATraceOfItsOwn() {
        LogRecords.publish(tracing, LogRecords.begin(tracing, Level.WARN, null, null, null, null, 0, 1, "m", "x"));
        LogRecords.publish(tracing, LogRecords.begin(tracing, Level.WARN, null, null, null, null, 0, 1, "m", "y"));
        Map<String, Object> a = writer.records().get(0);
        Map<String, Object> b = writer.records().get(1);
        assertEquals("0.1", a.get("x_rpc_id"));
        assertEquals(32, ((String) a.get("x_trace_id")).length());
        assertNotEquals(a.get("x_trace_id"), b.get("x_trace_id"));
        assertFalse(a.containsKey("x_file"));
    }

    @Test
    void idsFromAnAsynchronousEventAreUsedWhenValid() {
        LogRecords.publish(tracing, LogRecords.begin(tracing, Level.INFO, null, null, "abc", "0.2.1", 0, 1, "m", "x"));
        assertEquals("abc", only().get("x_trace_id"));
        assertEquals("0.2.1", only().get("x_rpc_id"));
        writer.clear();
        LogRecords.publish(tracing, LogRecords.begin(tracing, Level.INFO, null, null, "a\"b", "0.2", 0, 1, "m", "x"));
        assertNotEquals("a\"b", only().get("x_trace_id"));
        assertEquals("0.1", only().get("x_rpc_id"));
    }

    @Test
    void messagesAndExtrasAreCapped() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            sb.append('m');
        }
        Record r = LogRecords.begin(tracing, Level.INFO, null, null, null, null, 0, 1, "m", sb.toString());
        LogRecords.extra(r, "big", sb.toString());
        LogRecords.publish(tracing, r);
        String msg = (String) only().get("x_msg");
        assertEquals(LogRecords.MAX_MSG_CHARS, msg.length());
        assertTrue(msg.endsWith(LogRecords.TRUNCATED));
        @SuppressWarnings("unchecked")
        Map<String, Object> extra = (Map<String, Object>) only().get("x_extra");
        assertEquals(LogRecords.MAX_EXTRA_CHARS, ((String) extra.get("big")).length());
    }

    @Test
    void capNeverSplitsASurrogatePair() {
        String s = "ab\uD83D\uDE00cdefghijklmnopqrstuvwxyz";
        String c = LogRecords.cap(s, 3 + LogRecords.TRUNCATED.length());
        assertEquals("ab" + LogRecords.TRUNCATED, c);
        assertEquals("short", LogRecords.cap("short", 10));
    }

    @Test
    void ownLoggersAreRecognised() {
        assertTrue(LogRecords.ownLogger("io.rpctrace.internal.Tracing"));
        assertTrue(LogRecords.ownLogger("io.rpctrace.agent.Installer"));
        assertTrue(LogRecords.ownLogger("io.rpctrace.logback.TraceAppender"));
        assertTrue(LogRecords.ownLogger("rpctrace"));
        assertFalse(LogRecords.ownLogger("io.rpctrace.examples.OrderService"));
        assertFalse(LogRecords.ownLogger("com.acme.Orders"));
        assertFalse(LogRecords.ownLogger(null));
    }
}
