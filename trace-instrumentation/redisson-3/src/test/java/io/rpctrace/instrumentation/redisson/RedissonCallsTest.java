package io.rpctrace.instrumentation.redisson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.config.Config;
import io.rpctrace.internal.Tracing;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Commands issued, sent and answered, without bytecode: a plain CompletableFuture stands for the main promise. */
class RedissonCallsTest {
    private final CollectingWriter out = new CollectingWriter();

    @BeforeEach
    void start() {
        Tracing.start(Config.of(Map.of()), out);
    }

    @AfterEach
    void stop() {
        Tracing.start(Config.of(Map.of()), new CollectingWriter());
    }

    @Test
    void aCommandTakesTheCallersIdAndEndsOnce() {
        CompletableFuture<Object> promise = new CompletableFuture<>();
        try (Span req = Trace.enter(null, null)) {
            RedissonCalls.start(promise, "get", null, new Object[] {"user:42"});
            RedissonCalls.start(promise, "get", null, new Object[] {"user:42"});   // a retry
            RedissonCalls.sent(promise, new InetSocketAddress("127.0.0.1", 6379));
            RedissonCalls.end(promise, null);
            promise.complete("v");
        }
        List<Map<String, Object>> r = out.records();
        assertEquals("redis.request", r.get(0).get("x_name"));
        assertEquals("0.2", r.get(0).get("x_rpc_id"));
        assertEquals("GET user:42", r.get(0).get("x_action"));
        assertEquals("127.0.0.1:6379", r.get(0).get("x_host"));
        assertEquals("0", r.get(0).get("x_code"));
        assertEquals("request.info", r.get(1).get("x_name"));
        assertEquals(2, r.size());
        assertFalse(RedissonCalls.inFlight(promise));
    }

    @Test
    void aFailedPromiseEndsTheSpanAsAnError() {
        CompletableFuture<Object> promise = new CompletableFuture<>();
        RedissonCalls.start(promise, "HGET", null, new Object[] {"k", "f"});
        promise.completeExceptionally(new RuntimeException("WRONGTYPE Operation against a key"));
        Map<String, Object> r = out.records().get(0);
        assertEquals("redis.request.error", r.get("x_name"));
        assertEquals("WRONGTYPE", r.get("x_code"));
    }

    @Test
    void subcommandsAndNonKeyParams() {
        CompletableFuture<Object> promise = new CompletableFuture<>();
        RedissonCalls.start(promise, "CLIENT", "setname", new Object[] {12L});
        RedissonCalls.end(promise, null);
        assertEquals("CLIENT SETNAME", out.records().get(0).get("x_action"));
    }
}
