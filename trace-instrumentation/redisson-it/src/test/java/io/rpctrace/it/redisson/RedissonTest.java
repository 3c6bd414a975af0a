package io.rpctrace.it.redisson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.RpcIds;
import io.rpctrace.testing.Servers;
import io.rpctrace.testing.TraceRecord;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.redisson.Redisson;
import org.redisson.api.RBatch;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.RedisException;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Redisson (3.52, and 3.17.7 in the "floor" run) against the local Redis with the packaged agent:
 * docs/instrumentation/redis.md#redisson.
 */
class RedissonTest {
    private static final String HOST = "127.0.0.1";
    private static final int PORT = 6379;
    private static RedissonClient client;

    private final String prefix = "rpct:redisson:" + System.nanoTime() + ":";
    private AgentRecords agent;

    @BeforeAll
    static void connect() {
        Servers.require("Redis", HOST, PORT);
        Config config = new Config();
        config.useSingleServer().setAddress("redis://" + HOST + ":" + PORT);
        client = Redisson.create(config);
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.shutdown();
        }
    }

    @BeforeEach
    void start() {
        agent = AgentRecords.start();
    }

    @AfterEach
    void noAdviceErrors() {
        assertEquals(0, AgentRecords.internalErrors(), "errors caught in the agent's advice");
    }

    /** {@code records} in id order. */
    static List<TraceRecord> sorted(Records records) {
        return records.list().stream().sorted((a, b) -> RpcIds.compare(a.rpcId(), b.rpcId())).collect(Collectors.toList());
    }

    @Test
    void theExpectedRedissonIsOnTheClassPath() {
        // the default run holds the latest, the "floor" run the floor (pom.xml)
        String jar = Redisson.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        assertTrue(jar.endsWith("/redisson-" + System.getProperty("rpctrace.it.redisson.expected") + ".jar"), jar);
    }

    @Test
    void syncAsyncAndReactiveCommandsTakeTheCallersIdsInOrder() throws Exception {
        String key = prefix + "b";
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            RBucket<String> bucket = client.getBucket(key, StringCodec.INSTANCE);
            bucket.set("v1");                                                                    // 0.2
            assertEquals("v1", bucket.get());                                                    // 0.3
            assertEquals("v1", bucket.getAsync().toCompletableFuture().get());                   // 0.4
            assertEquals("v1", client.reactive().getBucket(key, StringCodec.INSTANCE).get().block());   // 0.5
            traceId = Trace.traceId();
        }
        Records calls = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("redis.request").size() >= 4)
                .inTrace(traceId).named("redis.request").assertUniqueIds();
        List<TraceRecord> list = sorted(calls);
        assertEquals(List.of("0.2", "0.3", "0.4", "0.5"), list.stream().map(TraceRecord::rpcId).collect(Collectors.toList()),
                calls.toString());
        assertEquals(List.of("SET " + key, "GET " + key, "GET " + key, "GET " + key),
                list.stream().map(r -> r.string("x_action")).collect(Collectors.toList()));
        for (TraceRecord r : list) {
            assertEquals(HOST + ":" + PORT, r.string("x_host"), r.line());
            assertEquals("0", r.string("x_code"), r.line());
        }
    }

    @Test
    void aBatchIsOneRecordWithItsCommandCount() {
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            RBatch batch = client.createBatch();
            batch.getBucket(prefix + "x", StringCodec.INSTANCE).setAsync("1");
            batch.getBucket(prefix + "y", StringCodec.INSTANCE).setAsync("2");
            batch.getBucket(prefix + "x", StringCodec.INSTANCE).getAsync();
            assertEquals(List.of("1"), batch.execute().getResponses().subList(2, 3));
            traceId = Trace.traceId();
        }
        Records calls = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("redis.request").size() >= 1)
                .inTrace(traceId).named("redis.request");
        TraceRecord batch = calls.single().hasRpcId("0.2").has("x_action", "BATCH").has("x_code", "0")
                .has("x_host", HOST + ":" + PORT).record();
        assertEquals(3L, ((Number) batch.extra("commands")).longValue(), batch.line());
    }

    @Test
    void aWrongTypeReplyIsARequestError() {
        String key = prefix + "h";
        client.getMap(key, StringCodec.INSTANCE).put("f", "v");
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            assertThrows(RedisException.class, () -> client.getBucket(key, StringCodec.INSTANCE).get());
            traceId = Trace.traceId();
        }
        AwaitRecords.until(agent, r -> r.inTrace(traceId).named("redis.request.error").size() == 1)
                .inTrace(traceId).named("redis.request.error").single().hasRpcId("0.2")
                .has("x_action", "GET " + key).has("x_code", "WRONGTYPE");
    }
}
