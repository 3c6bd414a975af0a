package io.rpctrace.instrumentation.memcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.config.Config;
import io.rpctrace.internal.Tracing;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands started, placed, answered and completed, without bytecode: plain objects stand for the client's. */
class MemcacheCallsTest {
    private static final InetSocketAddress SERVER = new InetSocketAddress("127.0.0.1", 11211);
    private final CollectingWriter out = new CollectingWriter();

    @BeforeEach
    void start() {
        Tracing.start(Config.of(Map.of()), out);
    }

    @AfterEach
    void stop() {
        Tracing.start(Config.of(Map.of()), new CollectingWriter());
    }

    private Map<String, Object> single() {
        List<Map<String, Object>> r = out.records();
        assertEquals(1, r.size(), r.toString());
        return r.get(0);
    }

    @Test
    void aHitTakesTheCallersNextIdAndEndsOnCompletion() {
        Object op = new Object();
        try (Span req = Trace.enter(null, null)) {
            MemcacheCalls.start(op, "get", "user:42");
            MemcacheCalls.sent(op, SERVER, null);
            MemcacheCalls.value(op, "ann".getBytes(StandardCharsets.UTF_8));
            MemcacheCalls.status(op, MemcacheCodes.OK, "END");
            MemcacheCalls.complete(op);
            assertFalse(MemcacheCalls.inFlight(op));
        }
        Map<String, Object> r = out.records().get(0);
        assertEquals("memcache.request", r.get("x_name"));
        assertEquals("0.2", r.get("x_rpc_id"));
        assertEquals("get user:42", r.get("x_action"));
        assertEquals("127.0.0.1:11211", r.get("x_host"));
        assertEquals("0", r.get("x_code"));
        assertEquals(3L, ((Number) r.get("x_response_len")).longValue());
        assertNull(r.get("x_response"));   // capture.response off, no debug
    }

    @Test
    void aMissIsCodedButNotAnError() {
        Object op = new Object();
        MemcacheCalls.start(op, "get", "nope");
        MemcacheCalls.sent(op, SERVER, null);
        MemcacheCalls.status(op, MemcacheCodes.MISS, "NOT_FOUND");
        MemcacheCalls.complete(op);
        Map<String, Object> r = single();
        assertEquals("memcache.request", r.get("x_name"));
        assertEquals("miss", r.get("x_code"));
    }

    @Test
    void aCompletionBeforeThePlacementWaitsForTheHost() {
        Object op = new Object();
        MemcacheCalls.start(op, "set", "k");
        MemcacheCalls.complete(op);
        assertEquals(0, out.records().size());
        MemcacheCalls.sent(op, SERVER, null);
        assertEquals("127.0.0.1:11211", single().get("x_host"));
        assertFalse(MemcacheCalls.inFlight(op));
    }

    @Test
    void aTimeoutIsAnError() {
        Object op = new Object();
        MemcacheCalls.start(op, "get", "k");
        MemcacheCalls.sent(op, SERVER, null);
        MemcacheCalls.status(op, MemcacheCodes.TIMEOUT, "timed out");
        MemcacheCalls.complete(op);
        Map<String, Object> r = single();
        assertEquals("memcache.request.error", r.get("x_name"));
        assertEquals("timeout", r.get("x_code"));
        assertEquals("timed out", r.get("x_msg"));
    }

    @Test
    void aThrownFailureEndsTheSpanOnce() {
        Object op = new Object();
        MemcacheCalls.start(op, "get", "k");
        MemcacheCalls.sent(op, SERVER, null);
        MemcacheCalls.fail(op, new TimeoutException("Timed out(1000 milliseconds)"));
        MemcacheCalls.complete(op);
        Map<String, Object> r = single();
        assertEquals("memcache.request.error", r.get("x_name"));
        assertEquals("timeout", r.get("x_code"));
    }

    @Test
    void aFailedSendEndsTheSpan() {
        Object op = new Object();
        MemcacheCalls.start(op, "get", "k");
        MemcacheCalls.sent(op, null, new IllegalStateException("Shutting down"));
        Map<String, Object> r = single();
        assertEquals("memcache.request.error", r.get("x_name"));
        assertEquals("no_connection", r.get("x_code"));
    }

    @Test
    void aMultiGetIsOneRecordAfterEveryPart() {
        Object cb = new Object();
        MemcacheCalls.startMulti(cb, "get", Arrays.asList("a", "b", "c"), 2);
        MemcacheCalls.sent(cb, SERVER, null);
        MemcacheCalls.value(cb, new byte[2]);
        MemcacheCalls.complete(cb);
        assertEquals(0, out.records().size());
        MemcacheCalls.value(cb, new byte[3]);
        MemcacheCalls.complete(cb);
        Map<String, Object> r = single();
        assertEquals("get a b c", r.get("x_action"));
        assertEquals("miss", r.get("x_code"));
        @SuppressWarnings("unchecked")
        Map<String, Object> extra = (Map<String, Object>) r.get("x_extra");
        assertEquals(3L, ((Number) extra.get("keys")).longValue());
        assertEquals(2L, ((Number) extra.get("hits")).longValue());
        assertEquals(5L, ((Number) r.get("x_response_len")).longValue());
    }

    @Test
    void aDebugTraceCapturesTheValue() {
        Tracing.start(Config.of(Map.of("debug.token", "s3cret")), out);
        Object op = new Object();
        try (Span req = Trace.enter(Map.of("X-Debug", "1", "X-Debug-Token", "s3cret")::get)) {
            MemcacheCalls.start(op, "get", "k");
            MemcacheCalls.sent(op, SERVER, null);
            MemcacheCalls.value(op, "v1".getBytes(StandardCharsets.UTF_8));
            MemcacheCalls.complete(op);
        }
        assertEquals("v1", out.records().get(0).get("x_response"));
    }

    @Test
    void connects() {
        Object node = new Object();
        MemcacheCalls.connectStart(node, SERVER);
        MemcacheCalls.connected(node);
        Object other = new Object();
        MemcacheCalls.connectStart(other, new InetSocketAddress("127.0.0.1", 1));
        MemcacheCalls.connectFailed(other, null, "Connection refused");
        List<Map<String, Object>> r = out.records();
        assertEquals("memcache.connect", r.get(0).get("x_name"));
        assertEquals("0", r.get(0).get("x_code"));
        assertEquals("memcache.connect.error", r.get(1).get("x_name"));
        assertEquals("127.0.0.1:1", r.get(1).get("x_host"));
        assertEquals("connect_failed", r.get(1).get("x_code"));
    }
    /**
     * The spans' records are pooled (given back once written): commands completed on one thread
     * while another times them out each write one whole record of their own, never a field of
     * another command's.
     */
    @Test
    void racingCompletionsAndTimeoutsWriteOneWholeRecordPerCommand() throws Exception {
        int n = 2_000;
        Object[] ops = new Object[n];
        for (int i = 0; i < n; i++) {
            ops[i] = new Object();
            MemcacheCalls.start(ops[i], "get", "k" + i);
        }
        Thread io = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                MemcacheCalls.sent(ops[i], new InetSocketAddress("127.0.0.1", 10_000 + i % 100), null);
                MemcacheCalls.value(ops[i], new byte[i % 7]);
                MemcacheCalls.complete(ops[i]);
            }
        });
        Thread timer = new Thread(() -> {
            for (int i = n - 1; i >= 0; i--) {
                MemcacheCalls.fail(ops[i], new TimeoutException("Timed out k" + i));
            }
        });
        io.start();
        timer.start();
        io.join();
        timer.join();
        List<Map<String, Object>> records = out.records();
        assertEquals(n, records.size());
        java.util.Set<Object> actions = new java.util.HashSet<>();
        for (Map<String, Object> r : records) {
            String key = ((String) r.get("x_action")).substring("get ".length());
            assertTrue(actions.add(key), "one record per command: " + r);
            int i = Integer.parseInt(key.substring(1));
            Object host = r.get("x_host");
            if ("memcache.request".equals(r.get("x_name"))) {
                assertEquals("127.0.0.1:" + (10_000 + i % 100), host, r.toString());
                assertEquals((long) (i % 7), ((Number) r.get("x_response_len")).longValue(), r.toString());
            } else {
                assertEquals("memcache.request.error", r.get("x_name"), r.toString());
                assertEquals("Timed out " + key, r.get("x_msg"), r.toString());
                assertTrue(host == null || host.equals("127.0.0.1:" + (10_000 + i % 100)), r.toString());
            }
        }
    }
}
