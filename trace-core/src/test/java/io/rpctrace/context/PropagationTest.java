package io.rpctrace.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.config.Config;
import io.rpctrace.internal.Tracing;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PropagationTest {
    private static final String SECRET = "s3cret-token";

    private static final CollectingWriter WRITER = new CollectingWriter();

    @BeforeAll
    static void start() {
        Tracing.start(Config.of(Collections.singletonMap("debug.token", SECRET)), WRITER);
    }

    /** Headers matched case-insensitively, as HTTP carriers do. */
    private static Map<String, String> headers(String... kv) {
        Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Scope extract(Map<String, String> h, String query) {
        return Propagation.extract(h, Map::get, query);
    }

    @Test
    void ownHeadersWin() {
        Scope s = extract(headers("x-trace-id", "abc-123", "X-RPC-ID", "0.3",
                "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"), null);
        assertEquals("abc-123", s.traceId());
        assertEquals("0.3", s.prefix());
        assertEquals("0.3.1", s.currentId());
    }

    @Test
    void queryStringIsTheFallbackWhenHeadersAreAbsent() {
        Scope s = extract(headers(), "a=1&x_trace_id=qid_7&x_rpc_id=0.2.1");
        assertEquals("qid_7", s.traceId());
        assertEquals("0.2.1", s.prefix());
        Scope h = extract(headers("X-Trace-Id", "hdr"), "x_trace_id=qid_7");
        assertEquals("hdr", h.traceId());
    }

    @Test
    void w3cThenB3ThenRequestIdJoinTheTrace() {
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", extract(headers(
                "traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"), null).traceId());
        assertEquals("80f198ee56343ba864fe8b2a57d3eff7", extract(headers(
                "X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7", "X-B3-SpanId", "e457b5a2e4d86bd1"), null).traceId());
        assertEquals("80f198ee56343ba8", extract(headers(
                "b3", "80f198ee56343ba8-e457b5a2e4d86bd1-1"), null).traceId());
        assertEquals("9e4c5ea2a3b94fb09fbb5d1f3a0b1c2d", extract(headers(
                "x-request-id", "9e4c5ea2-a3b9-4fb0-9fbb-5d1f3a0b1c2d"), null).traceId());
        Scope fresh = extract(headers("traceparent", "garbage"), null);
        assertTrue(TraceId.isW3c(fresh.traceId()));
        assertEquals("0", fresh.prefix());
    }

    @Test
    void hostileIdsAreTreatedAsAbsent() {
        StringBuilder huge = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            huge.append('a');
        }
        String[][] bad = {
            {"evil\r\nX-Injected: 1", "0.1"}, {huge.toString(), huge.toString()}, {"ok", "0.01"},
            {"ok", "0..1"}, {"ok", "1.2.x"}, {"\u00e9t\u00e9", "\ud800"}, {"", ""},
        };
        for (String[] b : bad) {
            Scope s = extract(headers("X-Trace-Id", b[0], "X-Rpc-Id", b[1]), null);
            assertTrue(TraceId.isValid(s.traceId()), s.toString());
            assertNotEquals(b[0], s.traceId().equals("ok") ? "" : s.traceId());
            if (!"ok".equals(b[0])) {
                assertTrue(TraceId.isW3c(s.traceId()), "a new id is generated for " + b[0]);
            }
            assertEquals("0", s.prefix(), "bad rpc id " + b[1]);
        }
    }

    @Test
    void debugModeNeedsTheSecretOrTheTraceBoundToken() {
        assertTrue(extract(headers("X-Trace-Id", "t1", "X-Debug", "1", "X-Debug-Token", SECRET), null).debug());
        assertFalse(extract(headers("X-Trace-Id", "t1", "X-Debug", "1", "X-Debug-Token", "wrong"), null).debug());
        assertFalse(extract(headers("X-Trace-Id", "t1", "X-Debug", "1"), null).debug());
        assertFalse(extract(headers("X-Trace-Id", "t1", "X-Debug-Token", SECRET), null).debug());
        String bound = new DebugToken(SECRET).forTrace("t1");
        assertTrue(extract(headers("X-Trace-Id", "t1", "X-Debug", "1", "X-Debug-Token", bound), null).debug());
        assertFalse(extract(headers("X-Trace-Id", "t2", "X-Debug", "1", "X-Debug-Token", bound), null).debug(),
                "a token bound to another trace is refused");
    }

    @Test
    void injectWritesIdsDebugTokenTraceparentAndForwardedHeaders() {
        Scope in = extract(headers("X-Trace-Id", "4bf92f3577b34da6a3ce929d0e0e4736", "X-Rpc-Id", "0.3",
                "X-Debug", "1", "X-Debug-Token", SECRET, "tracestate", "congo=t61rcWkgMzE",
                "x-request-id", "req-1"), null);
        Map<String, String> out = new TreeMap<>();
        int n = in.nextCall();
        Propagation.inject(out, Map::put, in, in.callId(n), false);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", out.get("X-Trace-Id"));
        assertEquals("0.3.2", out.get("X-Rpc-Id"));
        assertEquals("1", out.get("X-Debug"));
        assertEquals(new DebugToken(SECRET).forTrace(in.traceId()), out.get("X-Debug-Token"));
        assertFalse(out.containsValue(SECRET), "the raw secret never leaves the entry service");
        assertTrue(out.get("traceparent").matches("00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01"));
        assertEquals("congo=t61rcWkgMzE", out.get("tracestate"));
        assertEquals("req-1", out.get("x-request-id"));

        Map<String, String> grpc = new TreeMap<>();
        Propagation.inject(grpc, Map::put, in, "0.3.3", true);
        assertEquals("0.3.3", grpc.get("x-rpc-id"));
        assertNull(grpc.get("X-Rpc-Id"));
    }

    /** A carrier that says which names it holds, as an outgoing request does (names ignore case). */
    private static final Propagation.Setter<Map<String, String>> CHECKING = new Propagation.Setter<Map<String, String>>() {
        @Override
        public void set(Map<String, String> m, String name, String value) {
            m.put(name.toLowerCase(java.util.Locale.ROOT), value);
        }

        @Override
        public boolean has(Map<String, String> m, String name) {
            return m.containsKey(name.toLowerCase(java.util.Locale.ROOT));
        }
    };

    @Test
    void interopHeadersTheApplicationPutAreKeptAndItsIdHeadersReplaced() {
        Scope in = extract(headers("X-Trace-Id", "4bf92f3577b34da6a3ce929d0e0e4736", "X-Rpc-Id", "0.3",
                "tracestate", "up=1", "x-request-id", "req-1", "X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7",
                "X-B3-SpanId", "e457b5a2e4d86bd1"), null);
        String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        Map<String, String> out = new TreeMap<>();
        out.put("traceparent", own);               // the application's tracer wrote these for the call
        out.put("x-b3-traceid", "0af7651916cd43dd8448eb211c80319c");
        out.put("x-rpc-id", "0.9");                // a proxy passed its caller's on
        Propagation.inject(out, CHECKING, in, in.callId(in.nextCall()), false);
        assertEquals(own, out.get("traceparent"));
        assertEquals("0af7651916cd43dd8448eb211c80319c", out.get("x-b3-traceid"));
        assertNull(out.get("x-b3-spanid"), "B3 is the application's: none of the forwarded B3 fields is added");
        assertEquals("0.3.2", out.get("x-rpc-id"));
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", out.get("x-trace-id"));
        assertEquals("up=1", out.get("tracestate"), "an interop header the application did not write is this call's");
        assertEquals("req-1", out.get("x-request-id"));

        // a carrier that fails to answer counts as not holding the name: every header is written
        Map<String, String> failing = new TreeMap<>();
        Propagation.inject(failing, new Propagation.Setter<Map<String, String>>() {
            @Override
            public void set(Map<String, String> m, String name, String value) {
                m.put(name, value);
            }

            @Override
            public boolean has(Map<String, String> m, String name) {
                throw new IllegalStateException("already connected");
            }
        }, in, "0.3.3", false);
        assertEquals(Propagation.traceparent(in.traceId(), "0.3.3"), failing.get("traceparent"));
        assertEquals("up=1", failing.get("tracestate"));
    }

    @Test
    void theInteropNamesAreTheInjectedNamesBesideTheIdsAndTheDebugPair() {
        for (String n : new String[] {"traceparent", "TraceState", "X-B3-TraceId", "x-b3-spanid", "x-b3-sampled",
            "X-Request-Id"}) {
            assertTrue(Propagation.isInterop(n), n);
        }
        for (String n : new String[] {null, "", "X-Trace-Id", "x-rpc-id", "X-Debug", "x-debug-token", "b3", "content-type"}) {
            assertFalse(Propagation.isInterop(n), String.valueOf(n));
        }
    }

    @Test
    void traceparentIsStableAndDerivedForNonHexIds() {
        String a = Propagation.traceparent("order-77", "0.2");
        assertEquals(a, Propagation.traceparent("order-77", "0.2"));
        assertNotEquals(a, Propagation.traceparent("order-77", "0.3"));
        assertTrue(a.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"), a);
    }

    /** The values of the earlier, concatenating implementation: a peer sees the same parent ids. */
    @Test
    void traceparentKeepsItsValues() {
        assertEquals("00-d6a850af2db244960e224a4bc94ebccf-0821ae2e3a1bc9b2-01", Propagation.traceparent("order-77", "0.2"));
        assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-41c59acf8af118d6-01",
                Propagation.traceparent("4bf92f3577b34da6a3ce929d0e0e4736", "0.3.2"));
        assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-bb4f7f51bb88939b-01",
                Propagation.traceparent("4BF92F3577B34DA6A3CE929D0E0E4736", "0.1"));
        assertEquals("00-dbe067cca50e99e70cc49667cdda9dc4-87befff3ac79a41e-01", Propagation.traceparent("x", "0.9.10.11"));
    }

    @Test
    void theNamesInjectWritesAreRecognisedInAnyCaseAndNoOthers() {
        for (String n : new String[] {"X-Trace-Id", "x-rpc-id", "X-DEBUG", "x-debug-token", "traceparent",
            "TraceState", "X-B3-TraceId", "x-b3-spanid", "x-b3-sampled", "X-Request-Id"}) {
            assertTrue(Propagation.isInjected(n), n);
        }
        for (String n : new String[] {null, "", "x-rpc", "x-trace-id2", "content-type", "b3"}) {
            assertFalse(Propagation.isInjected(n), String.valueOf(n));
        }
    }

    /** A byte carrier: values as the bytes it was given, or the string's UTF-8. */
    private static final class ByteCarrier implements Propagation.AsciiSetter<Map<String, byte[]>> {
        @Override
        public void set(Map<String, byte[]> m, String name, String value) {
            m.put(name, value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public void setAscii(Map<String, byte[]> m, String name, byte[] value) {
            m.put(name, value);
        }
    }

    private static Map<String, String> strings(Map<String, byte[]> m) {
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, new String(v, java.nio.charset.StandardCharsets.UTF_8)));
        return out;
    }

    /**
     * The call id as parts (prefix, seq), built as bytes on a byte carrier, writes what the
     * string form writes on a string carrier: same names, same values, same traceparent.
     */
    @Test
    void callIdAsPartsWritesTheSameHeadersAsTheString() {
        Scope forwarded = extract(headers("x-trace-id", "order-77", "x-rpc-id", "0.9.10",
                "tracestate", "k=v", "x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7", "x-request-id", "r-1"), null);
        Scope w3c = extract(headers("traceparent", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"), null);
        for (Scope scope : new Scope[] {forwarded, w3c, Scope.newRoot()}) {
            for (int seq : new int[] {-1, 0, 1, 9, 10, 99, 100, 12345, Integer.MAX_VALUE}) {
                for (boolean lower : new boolean[] {true, false}) {
                    String id = seq < 0 ? scope.prefix() : scope.prefix() + "." + seq;
                    Map<String, String> expected = new TreeMap<>();
                    Propagation.inject(expected, Map::put, scope, id, lower);
                    Map<String, byte[]> bytes = new TreeMap<>();
                    Propagation.inject(bytes, new ByteCarrier(), scope, scope.prefix(), seq, lower);
                    assertEquals(expected, strings(bytes), id);
                    Map<String, String> viaParts = new TreeMap<>();
                    Propagation.inject(viaParts, Map::put, scope, scope.prefix(), seq, lower);
                    assertEquals(expected, viaParts, id);
                    Map<String, byte[]> viaString = new TreeMap<>();
                    Propagation.inject(viaString, new ByteCarrier(), scope, id, lower);
                    assertEquals(expected, strings(viaString), id);
                }
            }
        }
    }

    /** A byte carrier gets the scope's own trace id array: made once, shared by the scope's calls. */
    @Test
    void aByteCarrierSharesTheScopesTraceIdBytes() {
        Scope scope = extract(headers("x-trace-id", "order-77"), null);
        Map<String, byte[]> first = new TreeMap<>();
        Map<String, byte[]> second = new TreeMap<>();
        Propagation.inject(first, new ByteCarrier(), scope, scope.prefix(), scope.nextCall(), true);
        Propagation.inject(second, new ByteCarrier(), scope, scope.prefix(), scope.nextCall(), true);
        assertTrue(first.get("x-trace-id") == second.get("x-trace-id"));
        assertTrue(scope.traceIdBytes() == first.get("x-trace-id"));
        assertEquals("order-77", new String(scope.traceIdBytes(), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("0.2", new String(first.get("x-rpc-id"), java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("0.3", new String(second.get("x-rpc-id"), java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The shared array is the application's to read, not to change; one that was changed anyway
     * (an interceptor writing into a header value it was given) is not sent again: the next
     * call of the scope gets the trace id's bytes.
     */
    @Test
    void aTraceIdArrayChangedAfterASendIsNotSentAgain() {
        Scope scope = extract(headers("x-trace-id", "order-77"), null);
        Map<String, byte[]> first = new TreeMap<>();
        Propagation.inject(first, new ByteCarrier(), scope, scope.prefix(), scope.nextCall(), true);
        first.get("x-trace-id")[0] = 'X';
        Map<String, byte[]> second = new TreeMap<>();
        Propagation.inject(second, new ByteCarrier(), scope, scope.prefix(), scope.nextCall(), true);
        assertEquals("order-77", new String(second.get("x-trace-id"), java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(second.get("x-trace-id") == scope.traceIdBytes(), "shared again from then on");
    }

    /** A byte getter (gRPC metadata): names case-insensitive, values the arrays it holds. */
    private static final Propagation.AsciiGetter<Map<String, byte[]>> BYTES = new Propagation.AsciiGetter<Map<String, byte[]>>() {
        @Override
        public String get(Map<String, byte[]> m, String name) {
            byte[] v = m.get(name);
            return v == null ? null : new String(v, java.nio.charset.StandardCharsets.ISO_8859_1);
        }

        @Override
        public byte[] getAscii(Map<String, byte[]> m, String name) {
            return m.get(name);
        }
    };

    private static Map<String, byte[]> byteHeaders(String... kv) {
        Map<String, byte[]> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return m;
    }

    /**
     * A byte carrier's valid trace id is taken as its own array: no string until one is asked
     * for, then the same string every time; calls made in the scope send that array.
     */
    @Test
    void aByteCarriersTraceIdStaysItsArrayUntilAStringIsAskedFor() {
        Map<String, byte[]> in = byteHeaders("x-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736", "x-rpc-id", "0.2.1");
        Scope scope = Propagation.extract(in, BYTES, null);
        assertNull(scope.traceIdIfString());
        assertTrue(scope.traceIdBytes() == in.get("x-trace-id"));
        assertEquals("0.2.1", scope.prefix());
        Scope child = scope.child();
        assertNull(child.traceIdIfString(), "a child shares the bytes");
        assertTrue(child.traceIdBytes() == in.get("x-trace-id"));
        Map<String, byte[]> out = new TreeMap<>();
        Propagation.inject(out, new ByteCarrier(), scope, scope.prefix(), scope.nextCall(), true);
        assertTrue(out.get("x-trace-id") == in.get("x-trace-id"));
        assertEquals("0.2.1.2", new String(out.get("x-rpc-id"), java.nio.charset.StandardCharsets.US_ASCII));
        String id = scope.traceId();   // made by now: the call's traceparent is derived from it
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", id);
        assertTrue(id == scope.traceId() && id == scope.traceIdIfString(), "made once");
        assertEquals(id, child.traceId());
        assertTrue(scope.child().traceIdIfString() == id, "a child made later shares the string");
    }

    /** Bytes that are not a valid id as they are take the string path: trimmed, else replaced, never echoed. */
    @Test
    void aByteTraceIdThatIsNotValidAsItIsTakesTheStringPath() {
        Scope padded = Propagation.extract(byteHeaders("x-trace-id", " order-77 ", "x-rpc-id", "0.3"), BYTES, null);
        assertEquals("order-77", padded.traceIdIfString());
        assertEquals("0.3", padded.prefix());
        Scope hostile = Propagation.extract(byteHeaders("x-trace-id", "a\r\nb", "x-rpc-id", "0.3"), BYTES, null);
        assertNotEquals("a\r\nb", hostile.traceId());
        assertTrue(TraceId.isValid(hostile.traceId()));
        assertEquals("0", hostile.prefix(), "a caller id without a usable trace id starts at the root");
        Scope w3c = Propagation.extract(byteHeaders("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                BYTES, null);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", w3c.traceId());
        assertTrue(TraceId.isValid(new byte[] {'a', '-', 'Z', '_', '9'}));
        assertFalse(TraceId.isValid(new byte[] {'a', (byte) 0xc3, (byte) 0xa9}));
        assertFalse(TraceId.isValid(new byte[0]));
    }

    /** The debug pair on a byte carrier is checked as on any other: the secret turns debug mode on. */
    @Test
    void aByteCarrierStillGetsDebugMode() {
        Scope s = Propagation.extract(byteHeaders("x-trace-id", "order-78", "x-debug", "1", "x-debug-token", SECRET),
                BYTES, null);
        assertTrue(s.debug());
        assertEquals("order-78", s.traceId());
    }

    /** The served call's record carries the trace id it came with; no string was made for it. */
    @Test
    void aRecordInAByteScopeCarriesItsTraceIdWithoutTheString() {
        Scope scope = Propagation.extract(byteHeaders("x-trace-id", "bytes-trace-1", "x-rpc-id", "0.4"), BYTES, null);
        io.rpctrace.internal.SpanHooks.enter(scope).action("/orders.Orders/Get").close();
        assertNull(scope.traceIdIfString(), "the record took the bytes");
        Map<String, Object> served = WRITER.records().stream()
                .filter(r -> "bytes-trace-1".equals(r.get("x_trace_id"))).findFirst().orElseThrow(AssertionError::new);
        assertEquals("request.info", served.get("x_name"));
        assertEquals("0.4.1", served.get("x_rpc_id"));
    }
}
