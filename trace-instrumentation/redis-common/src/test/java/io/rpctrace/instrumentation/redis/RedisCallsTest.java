package io.rpctrace.instrumentation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.config.Config;
import io.rpctrace.internal.Tracing;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reply queue of a write-then-read client (Jedis), without bytecode: a plain object stands for the connection. */
class RedisCallsTest {
    private final CollectingWriter out = new CollectingWriter();
    private final Object connection = new Object();

    @BeforeEach
    void start() {
        Tracing.start(Config.of(Map.of("capture.param", "true")), out);
    }

    @AfterEach
    void stop() {
        Tracing.start(Config.of(Map.of()), new CollectingWriter());
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void send(String command, String... args) {
        byte[][] raw = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            raw[i] = b(args[i]);
        }
        RedisCalls.sendEnter();
        if (RedisCalls.sendExit()) {
            RedisCalls.sent(connection, command, b(command), raw.length > 0 ? raw[0] : null, raw, null);
        }
    }

    private List<String> field(String key) {
        return out.records().stream().map(r -> String.valueOf(r.get(key))).collect(Collectors.toList());
    }

    @Test
    void aPipelineGetsIdsInSendOrderAndRepliesEndThemInOrder() {
        try (Span req = Trace.enter(null, null)) {
            send("SET", "k", "v");                                            // 0.2
            send("GET", "k");                                                 // 0.3
            send("HGET", "s", "f");                                           // 0.4
            RedisCalls.replied(connection, "OK", null);
            RedisCalls.replied(connection, b("v"), null);
            RedisCalls.replied(connection, null, new RuntimeException("WRONGTYPE Operation against a key"));
            RedisCalls.replied(connection, "a pub/sub message", null);       // no command waits: nothing
        }
        assertEquals(List.of("redis.request", "redis.request", "redis.request.error", "request.info"), field("x_name"));
        assertEquals(List.of("0.2", "0.3", "0.4", "0.1"), field("x_rpc_id"));
        assertEquals(List.of("SET k", "GET k", "HGET s", "null"), field("x_action"));
        assertEquals(List.of("0", "0", "WRONGTYPE", "null"), field("x_code"));
        assertEquals("[\"v\"]", out.records().get(0).get("x_param"));
        assertEquals("1", String.valueOf(out.records().get(1).get("x_response_len")));
    }

    @Test
    void commandsSentWhileConnectingBelongToTheConnectAndSelectSetsTheDb() {
        Span connect = RedisCalls.connectStart(false);
        send("AUTH", "secret");
        send("SELECT", "4");
        RedisCalls.replied(connection, "OK", null);
        RedisCalls.replied(connection, "OK", null);
        RedisCalls.connectEnd(connect, connection, null);
        send("GET", "k");
        RedisCalls.replied(connection, null, null);
        assertEquals(List.of("redis.connect", "redis.request"), field("x_name"));
        assertEquals(List.of("4", "4"), field("x_db"));
        assertEquals("GET k", out.records().get(1).get("x_action"));
        assertEquals(-1, out.lines().toString().indexOf("secret"));
    }

    @Test
    void closingTheConnectionFailsWhatStillWaits() {
        send("GET", "a");
        send("GET", "b");
        RedisCalls.closed(connection);
        assertEquals(List.of("redis.request.error", "redis.request.error"), field("x_name"));
        RedisCalls.replied(connection, b("late"), null);
        assertEquals(2, out.records().size());
        assertNull(RedisCalls.connectStart(true));   // already connected: no record
        RedisCalls.connectEnd(null, connection, null);
    }
}
