package io.rpctrace.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.config.Config;
import io.rpctrace.internal.Tracing;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MapCarrierTest {
    private static final String SECRET = "s3cret-token";
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    /** Values as some carriers hold them: not strings (a Dubbo attachment may be any object). */
    private static final MapCarrier<Object> CARRIER = new MapCarrier<>(v -> v instanceof char[] ? new String((char[]) v) : v.toString());

    @BeforeAll
    static void start() {
        Tracing.start(Config.of(Collections.singletonMap("debug.token", SECRET)), new CollectingWriter());
    }

    /** A Dubbo provider's attachments: the library's own entries, then what the consumer set. */
    private static Map<String, Object> attachments(Object... kv) {
        Map<String, Object> m = new HashMap<>();
        m.put("path", "com.acme.Greeter");
        m.put("remote.application", "shop");
        m.put("interface", "com.acme.Greeter");
        m.put("version", "0.0.0");
        m.put("timeout", 3000);
        m.put("dubbo", "2.0.2");
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Scope extract(Map<String, Object> m) {
        return Propagation.extract(m, CARRIER.getter(m), null);
    }

    @Test
    void lowerCaseIdsAmongTheLibrarysEntriesAreReadByLookupOnly() {
        Map<String, Object> m = attachments("x-trace-id", TRACE, "x-rpc-id", "0.5.2",
                "traceparent", "00-" + TRACE + "-3f1c2b4a5d6e7f80-01");
        Map<String, Object> counting = new CountingMap(m);
        Scope s = Propagation.extract(counting, CARRIER.getter(counting), null);
        assertEquals(TRACE, s.traceId());
        assertEquals("0.5.2", s.prefix());
        // one pass over the keys to choose the getter; none for each name extract asks about
        assertEquals(1, ((CountingMap) counting).iterations);
    }

    @Test
    void namesInAnotherCaseAreFound() {
        Scope s = extract(attachments("X-Trace-Id", TRACE, "X-RPC-ID", "0.3"));
        assertEquals(TRACE, s.traceId());
        assertEquals("0.3", s.prefix());
        Scope b3 = extract(attachments("X-B3-TraceId", "80f198ee56343ba864fe8b2a57d3eff7", "X-B3-SpanId", "e457b5a2e4d86bd1"));
        assertEquals("80f198ee56343ba864fe8b2a57d3eff7", b3.traceId());
        assertEquals("80f198ee56343ba864fe8b2a57d3eff7", b3.forwarded().b3TraceId());
        assertEquals("e457b5a2e4d86bd1", b3.forwarded().b3SpanId());
    }

    @Test
    void theGetterIsTheLookupOneUnlessANameIsInAnotherCase() {
        Propagation.Getter<Map<String, Object>> lookup = CARRIER.getter(attachments("x-trace-id", TRACE));
        assertSame(lookup, CARRIER.getter(attachments()));
        assertSame(lookup, CARRIER.getter(null));
        assertSame(lookup, CARRIER.getter(attachments("X-TENANT", "acme", "Traceparent-Like", "x")));
        assertNotSame(lookup, CARRIER.getter(attachments("Traceparent", "00-" + TRACE + "-3f1c2b4a5d6e7f80-01")));
        assertNotSame(lookup, CARRIER.getter(attachments("X-Debug", "1")));
        Map<String, Object> withNullKey = attachments("x-trace-id", TRACE);
        withNullKey.put(null, "v");
        assertSame(lookup, CARRIER.getter(withNullKey));
    }

    @Test
    void debugModeAndValuesThatAreNotStrings() {
        Scope s = extract(attachments("x-trace-id", TRACE, "X-Debug", "1",
                "x-debug-token", new DebugToken(SECRET).forTrace(TRACE)));
        assertTrue(s.debug());
        Scope chars = extract(attachments("x-trace-id", TRACE.toCharArray(), "x-rpc-id", "0.7"));
        assertEquals(TRACE, chars.traceId());
        Scope none = extract(attachments("x-debug", "1"));
        assertFalse(none.debug());   // no token
        assertNull(CARRIER.getter(null).get(null, Propagation.TRACE_ID));
    }

    @Test
    void lowerCaseOfOtherNamesIsComputed() {
        assertEquals("x-trace-id", CARRIER.key(Propagation.TRACE_ID));
        assertSame(CARRIER.key(Propagation.TRACE_ID), CARRIER.key(Propagation.TRACE_ID));   // made once
        assertEquals("x-custom", CARRIER.key("X-Custom"));
        assertTrue(CARRIER.inOtherCase("X-Rpc-Id"));
        assertFalse(CARRIER.inOtherCase("x-rpc-id"));
        assertFalse(CARRIER.inOtherCase("X-Rpc-Ix"));
    }

    /** Counts the passes over its entries or keys. */
    private static final class CountingMap extends LinkedHashMap<String, Object> {
        int iterations;

        CountingMap(Map<String, Object> m) {
            super(m);
        }

        @Override
        public java.util.Set<String> keySet() {
            iterations++;
            return super.keySet();
        }

        @Override
        public java.util.Set<Map.Entry<String, Object>> entrySet() {
            iterations++;
            return super.entrySet();
        }
    }
}
