package io.rpctrace.it.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.RpcIds;
import io.rpctrace.testing.Servers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lettuce 6 against the local Redis: the sync, async and reactive APIs record alike. */
class LettuceTest {
    private static final String STRING_KEY = "rpct:lettuce:string";
    private static RedisClient client;

    private AgentRecords agent;

    @BeforeAll
    static void server() {
        Servers.require("Redis", "127.0.0.1", 6379);
        client = RedisClient.create("redis://127.0.0.1:6379/0");
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().set(STRING_KEY, "a string");
        }
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @BeforeEach
    void start() {
        agent = AgentRecords.start();
    }

    private static List<String> actions(Records records) {
        return records.list().stream().sorted((a, b) -> RpcIds.compare(a.rpcId(), b.rpcId()))
                .map(r -> r.string("x_action")).collect(Collectors.toList());
    }

    @Test
    void syncAsyncAndReactiveCallsGetConsecutiveIds() throws Exception {
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            try (StatefulRedisConnection<String, String> c = client.connect()) {             // 0.2
                assertEquals("OK", c.sync().set("rpct:l1", "v1"));                           // 0.3
                assertEquals("v1", c.async().get("rpct:l1").get());                          // 0.4
                assertEquals("v1", c.reactive().get("rpct:l1").block(Duration.ofSeconds(5))); // 0.5
                assertEquals("OK", c.sync().select(2));                                      // 0.6
                assertEquals(null, c.sync().get("rpct:l1"));                                 // 0.7
            }
            traceId = Trace.traceId();
        }
        Records all = Records.of(agent.flush()).inTrace(traceId).assertUniqueIds();
        assertEquals(List.of("0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"), all.rpcIds().subList(0, 7), all.toString());
        all.named("redis.connect").single().hasRpcId("0.2").has("x_host", "127.0.0.1:6379").has("x_db", "0")
                .has("x_code", "0");
        Records requests = all.named("redis.request");
        assertEquals(List.of("SET rpct:l1", "GET rpct:l1", "GET rpct:l1", "SELECT 2", "GET rpct:l1"),
                actions(requests).subList(0, 5), requests.toString());
        requests.where(r -> "0.3".equals(r.rpcId())).single().has("x_host", "127.0.0.1:6379").has("x_db", "0")
                .has("x_code", "0").has("x_module", "lettuce_test_sync_async_and_reactive_calls_get_consecutive_ids");
        requests.where(r -> "0.7".equals(r.rpcId())).single().has("x_db", "2").has("x_response", "(nil)");
        // capture.response=true in this module's agent args: sync, async and reactive replies
        requests.where(r -> "0.3".equals(r.rpcId())).single().has("x_response", "OK");
        requests.where(r -> "0.4".equals(r.rpcId())).single().has("x_response", "v1");
        requests.where(r -> "0.5".equals(r.rpcId())).single().has("x_response", "v1");
    }

    /**
     * Commands cancelled by the application as the I/O thread completes them: each ends once
     * (its pooled record is written by the one side that takes the span), so there is exactly
     * one record per command, with unique ids, and no cancelled one carries a reply.
     */
    @Test
    void aCancelRacingTheCompletionEndsEachCommandOnce() throws Exception {
        int n = 400;
        String traceId;
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            try (Span req = Trace.enter(null, null)) {
                traceId = req.traceId();
                List<io.lettuce.core.RedisFuture<String>> futures = new java.util.ArrayList<>();
                for (int i = 0; i < n; i++) {
                    futures.add(c.async().get(STRING_KEY));
                    if (i % 2 == 1) {
                        futures.get(i - 1).cancel(true);
                        futures.get(i).cancel(true);
                    }
                }
            }
            c.sync().ping();   // every reply of the commands above has been read
        }
        Records all = Records.of(agent.flush()).inTrace(traceId).assertUniqueIds();
        Records commands = all.where(r -> ("GET " + STRING_KEY).equals(r.string("x_action")));
        Map<String, Long> codes = commands.list().stream()
                .collect(Collectors.groupingBy(r -> String.valueOf(r.string("x_code")), Collectors.counting()));
        assertEquals(n, commands.list().size(), "one record per command: " + codes);
        assertTrue(codes.getOrDefault("cancelled", 0L) > 0, "some cancelled: " + codes);
        for (var r : commands.list()) {
            if ("cancelled".equals(r.string("x_code"))) {   // not the reply of a completion that lost the race
                assertEquals(null, r.string("x_response"), r.toString());
            } else {
                assertEquals("a string", r.string("x_response"), r.toString());
            }
        }
    }

    @Test
    void wrongTypeIsARequestError() {
        String traceId;
        try (StatefulRedisConnection<String, String> c = client.connect(); Span req = Trace.enter(null, null)) {
            RedisCommandExecutionException e = assertThrows(RedisCommandExecutionException.class,
                    () -> c.sync().hget(STRING_KEY, "f"));
            assertTrue(e.getMessage().startsWith("WRONGTYPE"), e.getMessage());
            traceId = Trace.traceId();
        }
        Records.of(agent.flush()).inTrace(traceId).named("redis.request.error").single().hasRpcId("0.2")
                .has("x_action", "HGET " + STRING_KEY).has("x_code", "WRONGTYPE");
    }

    @Test
    void closedPortIsAConnectError() {
        RedisClient closed = RedisClient.create("redis://127.0.0.1:1");
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            assertThrows(RedisConnectionException.class, () -> closed.connect().close());
            traceId = Trace.traceId();
        } finally {
            closed.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        Records.of(agent.flush()).inTrace(traceId).named("redis.connect.error").single().hasRpcId("0.2")
                .has("x_host", "127.0.0.1:1");
    }
}
