package io.rpctrace;

import static io.rpctrace.TraceApiTest.headers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.context.DebugToken;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/propagation.md#headers: {@code Trace.enter(header)} reads what the agent reads, and a
 * call's {@code inject} writes what the agent writes, so a manual service joins traced ones.
 */
class TraceHeadersTest {
    private static final String TID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private final CollectingWriter writer = CollectingWriter.startTracing("debug.token", "s3cret");

    @AfterEach
    void stop() {
        CollectingWriter.resetTracing();
    }

    private static Map<String, String> sent(Span call) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        call.inject(out::put);
        return out;
    }

    @Test
    void aCallSendsItsIdsAndTheCalleeContinuesTheTrace() {
        Map<String, String> out;
        try (Span req = Trace.enter(headers("x-trace-id", TID, "X-RPC-ID", "0.3"))) {
            assertEquals("0.3.1", req.rpcId(), "header names are matched ignoring case");
            try (Span call = Trace.call("http.get")) {
                out = sent(call);
            }
        }
        assertEquals(TID, out.get("X-Trace-Id"));
        assertEquals("0.3.2", out.get("X-Rpc-Id"));
        assertTrue(out.get("traceparent").matches("00-" + TID + "-[0-9a-f]{16}-01"), out.toString());
        assertFalse(out.containsKey("X-Debug"), "no debug headers outside debug mode");
        try (Span callee = Trace.enter(out::get)) {
            assertEquals(TID, callee.traceId());
            assertEquals("0.3.2.1", callee.rpcId());
        }
    }

    @Test
    void interopHeadersGiveTheTraceIdAndAreForwarded() {
        String w3c = "0af7651916cd43dd8448eb211c80319c";
        Map<String, String> out;
        try (Span req = Trace.enter(headers("traceparent", "00-" + w3c + "-b7ad6b7169203331-01",
                "tracestate", "congo=t61rcWkgMzE", "x-request-id", "a3f1c7e2-mesh"))) {
            assertEquals(w3c, req.traceId(), "without X-Trace-Id the W3C trace id is taken");
            assertEquals("0.1", req.rpcId());
            try (Span call = Trace.call("http.post")) {
                out = sent(call);
            }
        }
        assertEquals(w3c, out.get("X-Trace-Id"));
        assertEquals("0.2", out.get("X-Rpc-Id"));
        assertEquals("congo=t61rcWkgMzE", out.get("tracestate"));
        assertEquals("a3f1c7e2-mesh", out.get("x-request-id"));
    }

    @Test
    void aDebugTraceSendsTheTraceBoundTokenNeverTheSecret() {
        Map<String, String> out;
        try (Span req = Trace.enter(headers("X-Trace-Id", TID, "X-Debug", "1", "X-Debug-Token", "s3cret"))) {
            assertTrue(req.debug());
            try (Span call = Trace.call("grpc.request")) {
                out = sent(call);
            }
        }
        assertEquals("1", out.get("X-Debug"));
        assertEquals(new DebugToken("s3cret").forTrace(TID), out.get("X-Debug-Token"));
        assertFalse(out.containsValue("s3cret"));
        try (Span callee = Trace.enter(out::get)) {
            assertTrue(callee.debug(), "the next service accepts the bound token");
        }
    }

    @Test
    void onlyCallsHaveIdsToSend() {
        try (Span req = Trace.enter(headers("X-Trace-Id", TID))) {
            assertTrue(sent(req).isEmpty(), "a served request sends nothing");
            try (Span local = Trace.span("work")) {
                assertTrue(sent(local).isEmpty(), "a local span sends nothing");
            }
        }
        assertEquals(2, writer.records().size());
    }

    @Test
    void noHeadersStartANewTrace() {
        try (Span req = Trace.enter(name -> null)) {
            assertEquals(32, req.traceId().length());
            assertEquals("0.1", req.rpcId());
        }
        try (Span req = Trace.enter(headers("X-Trace-Id", "bad id\r\n", "X-Rpc-Id", "0.3"))) {
            assertFalse(req.traceId().contains("bad"), "an invalid id is never taken");
            assertEquals("0.1", req.rpcId());
        }
    }
}
