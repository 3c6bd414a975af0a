package io.rpctrace.instrumentation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/propagation.md#debug-mode: x_param is captured for a debug trace although capture.param is off. */
class DebugCaptureTest {
    // capture.param off (the default)
    private final CollectingWriter out = CollectingWriter.startTracing("debug.token", "s3cret");
    private final Object connection = new Object();

    @AfterEach
    void stop() {
        CollectingWriter.resetTracing();
    }

    @Test
    void redisArgumentsAreCapturedInADebugTraceOnly() {
        try (Span debug = Trace.enter(Map.of("X-Debug", "1", "X-Debug-Token", "s3cret")::get)) {
            assertTrue(AsyncRedisCalls.capturingParams());
            send("SET", "k", "v");
            RedisCalls.replied(connection, "OK", null);
        }
        try (Span plain = Trace.enter(null, null)) {
            assertFalse(AsyncRedisCalls.capturingParams());
            send("SET", "k", "w");
            RedisCalls.replied(connection, "OK", null);
        }
        assertEquals("redis.request", out.records().get(0).get("x_name"));
        assertEquals("[\"v\"]", out.records().get(0).get("x_param")); // the key is in x_action
        assertEquals("redis.request", out.records().get(2).get("x_name"));
        assertNull(out.records().get(2).get("x_param"));
    }

    private void send(String command, String... args) {
        byte[][] raw = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            raw[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        RedisCalls.sendEnter();
        if (RedisCalls.sendExit()) {
            RedisCalls.sent(connection, command, command.getBytes(StandardCharsets.UTF_8), raw[0], raw, null);
        }
    }
}
