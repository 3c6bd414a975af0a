package io.rpctrace.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/propagation.md#debug-mode: bind values are captured for a debug trace although capture.param is off. */
class DebugCaptureTest {
    // capture.param off (the default)
    private final CollectingWriter out = CollectingWriter.startTracing("debug.token", "s3cret");

    @AfterEach
    void stop() {
        CollectingWriter.resetTracing();
    }

    @Test
    void jdbcBindValuesAreCapturedInADebugTraceOnly() {
        try (Span debug = Trace.enter(Map.of("X-Debug", "1", "X-Debug-Token", "s3cret")::get)) {
            assertTrue(JdbcCalls.capturingParams());
        }
        try (Span plain = Trace.enter(null, null)) {
            assertFalse(JdbcCalls.capturingParams());
        }
    }
}
