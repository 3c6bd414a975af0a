package io.rpctrace.it.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.Servers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Lettuce's reactive API inside a chain that changes threads (local Redis): each command takes
 * the next id of the request that built the chain, not a trace of its own.
 */
@ExtendWith(NoInstrumentationErrors.class)
class LettuceInChainTest {
    private static RedisClient client;
    private static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void server() {
        Servers.require("Redis", "127.0.0.1", 6379);
        client = RedisClient.create("redis://127.0.0.1:6379/0");
        connection = client.connect();
    }

    @AfterAll
    static void stop() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void reactiveCommandsAfterPublishOnAndADelayJoinTheRequest() {
        AgentRecords agent = AgentRecords.start();
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = Trace.traceId();
            String got = Mono.just("rpct:reactor:k").publishOn(Schedulers.boundedElastic())
                    .flatMap(k -> connection.reactive().set(k, "v").thenReturn(k))             // 0.2
                    .delayElement(Duration.ofMillis(5))
                    .flatMap(k -> connection.reactive().get(k))                               // 0.3
                    .block(Duration.ofSeconds(5));
            assertEquals("v", got);
        }
        Records r = Records.of(agent.flush()).inTrace(traceId);
        r.named("request.info").single().hasRpcId("0.1");
        Records redis = r.named("redis.request").assertUniqueIds();
        assertEquals(List.of("0.2", "0.3"), redis.rpcIds(), r.toString());
        redis.where(x -> "0.2".equals(x.rpcId())).single().has("x_action", "SET rpct:reactor:k");
        redis.where(x -> "0.3".equals(x.rpcId())).single().has("x_action", "GET rpct:reactor:k");
    }
}
