package io.rpctrace.instrumentation.redisson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/propagation.md#debug-mode: a debug trace's Redisson commands carry {@code x_param} (the
 * arguments after the key, as Redisson passes them: encoded values in Netty buffers, numbers,
 * strings) and {@code x_response} (the value the application gets); other traces do not
 * (capture.param and capture.response off).
 */
class RedissonDebugCaptureTest {
    private final CollectingWriter out = CollectingWriter.startTracing("debug.token", "s3cret");

    @AfterEach
    void stop() {
        CollectingWriter.resetTracing();
    }

    private static Span debugRequest() {
        return Trace.enter(Map.of("X-Debug", "1", "X-Debug-Token", "s3cret")::get);
    }

    @Test
    void aDebugTraceCapturesArgumentsAndTheReplyOthersDoNot() {
        ByteBuf value = Unpooled.copiedBuffer("v1", StandardCharsets.UTF_8);
        try (Span debug = debugRequest()) {
            command("SET", new Object[] {"k", value, "PX", 1000L}, null);
            command("GET", new Object[] {"k"}, "v1");
        }
        assertEquals(2, value.readableBytes(), "the application's buffer is read, not consumed");
        try (Span plain = Trace.enter(null, null)) {
            command("SET", new Object[] {"k", Unpooled.copiedBuffer("v2", StandardCharsets.UTF_8)}, null);
            command("GET", new Object[] {"k"}, "v2");
        }
        List<Map<String, Object>> r = out.records();
        assertEquals("SET k", r.get(0).get("x_action"));
        assertEquals("[\"v1\",\"PX\",\"1000\"]", r.get(0).get("x_param"));
        assertEquals("(nil)", r.get(0).get("x_response"));   // Redisson's SET returns void
        assertEquals("GET k", r.get(1).get("x_action"));
        assertNull(r.get(1).get("x_param"));
        assertEquals("v1", r.get(1).get("x_response"));
        assertEquals("request.info", r.get(2).get("x_name"));
        assertEquals("SET k", r.get(3).get("x_action"));
        assertNull(r.get(3).get("x_param"));
        assertNull(r.get(3).get("x_response"));
        assertNull(r.get(4).get("x_response"));
    }

    @Test
    void secretArgumentsAreMaskedAndOtherObjectsNamedByTheirType() {
        try (Span debug = debugRequest()) {
            command("CONFIG", new Object[] {"SET", "requirepass", "hunter2"}, null);
            command("HSET", new Object[] {"h", "f".getBytes(StandardCharsets.UTF_8), new StringBuilder("v"), new Thread()},
                    List.of("a", "b"));
        }
        List<Map<String, Object>> r = out.records();
        assertEquals("[\"requirepass\",\"***\"]", r.get(0).get("x_param"));
        assertEquals("[\"f\",\"v\",\"<Thread>\"]", r.get(1).get("x_param"));
        assertEquals("[\"a\",\"b\"]", r.get(1).get("x_response"));
    }

    private static void command(String name, Object[] params, Object reply) {
        CompletableFuture<Object> promise = new CompletableFuture<>();
        RedissonCalls.start(promise, name, null, params);
        RedissonCalls.succeeded(promise, reply);
        promise.complete(reply);
    }

    /**
     * A reply handled on an event loop while a timeout fails the same command on Redisson's timer:
     * the command's span is taken by one of them, so its record is either the answer (with its
     * x_response) or the failure, never the failure carrying the answer.
     */
    @Test
    void aReplyRacingATimeoutEndsTheCommandOnceAsOneOrTheOther() throws Exception {
        int n = 3000;
        List<CompletableFuture<Object>> promises = new ArrayList<>();
        try (Span debug = debugRequest()) {
            for (int i = 0; i < n; i++) {
                CompletableFuture<Object> p = new CompletableFuture<>();
                RedissonCalls.start(p, "GET", null, new Object[] {"k" + i});
                promises.add(p);
            }
            CountDownLatch go = new CountDownLatch(1);
            Thread reply = new Thread(() -> {
                await(go);
                for (CompletableFuture<Object> p : promises) {
                    RedissonCalls.succeeded(p, "v");
                }
            });
            Thread timeout = new Thread(() -> {
                await(go);
                for (CompletableFuture<Object> p : promises) {
                    RedissonCalls.end(p, new IllegalStateException("RedisResponseTimeoutException"));
                }
            });
            reply.start();
            timeout.start();
            go.countDown();
            reply.join();
            timeout.join();
        }
        List<Map<String, Object>> r = out.records();
        assertEquals(n + 1, r.size());
        for (Map<String, Object> record : r.subList(0, n)) {
            boolean failed = "redis.request.error".equals(record.get("x_name"));
            assertTrue(failed ? record.get("x_response") == null : "v".equals(record.get("x_response")), record.toString());
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
