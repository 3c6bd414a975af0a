package io.rpctrace.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the JDBC advice asks {@link JdbcCalls} before it does any work. */
class JdbcCallsTest {
    /** docs/propagation.md#debug-mode: bind values are captured for a debug trace although capture.param is off. */
    @Test
    void bindValuesAreCapturedInADebugTraceOnly() {
        CollectingWriter.startTracing("debug.token", "s3cret");   // capture.param off (the default)
        try {
            try (Span debug = Trace.enter(Map.of("X-Debug", "1", "X-Debug-Token", "s3cret")::get)) {
                assertTrue(JdbcCalls.capturingParams());
            }
            try (Span plain = Trace.enter(null, null)) {
                assertFalse(JdbcCalls.capturingParams());
            }
        } finally {
            CollectingWriter.resetTracing();
        }
    }
}
