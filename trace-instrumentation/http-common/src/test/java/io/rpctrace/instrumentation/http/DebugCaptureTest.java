package io.rpctrace.instrumentation.http;

import static io.rpctrace.instrumentation.http.HttpCallsTest.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rpctrace.CollectingWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** docs/propagation.md#debug-mode: x_param is captured for a debug trace although capture.param is off. */
class DebugCaptureTest {
    // capture.param off (the default)
    private final CollectingWriter out = CollectingWriter.startTracing("debug.token", "s3cret");

    @AfterEach
    void stop() {
        CollectingWriter.resetTracing();
    }

    @Test
    void aDebugRequestRecordsItsQueryParametersMasked() {
        HttpServerCalls.end(HttpServerCalls.start(headers("X-Debug", "1", "X-Debug-Token", "s3cret"), "GET",
                "http://h/p?q=1&token=abc", "q=1&token=abc", null, null), 200, 0, null);
        HttpServerCalls.end(HttpServerCalls.start(headers(), "GET", "http://h/p?q=2", "q=2", null, null), 200, 0, null);
        HttpServerCalls.end(HttpServerCalls.start(headers("X-Debug", "1", "X-Debug-Token", "guess"), "GET",
                "http://h/p?q=3", "q=3", null, null), 200, 0, null);
        assertEquals("{\"q\":\"1\",\"token\":\"***\"}", out.records().get(0).get("x_param"));
        assertNull(out.records().get(1).get("x_param"), "a plain request keeps capture.param=false");
        assertNull(out.records().get(2).get("x_param"), "a wrong token is no debug request");
        // the secret is nowhere in the line; the random trace id may hold "abc" by chance
        String traceId = (String) out.records().get(0).get("x_trace_id");
        assertFalse(out.lines().get(0).replace(traceId, "").contains("abc"));
    }
}
