package io.rpctrace.it.redisson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.Servers;
import io.rpctrace.testing.TraceRecord;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;

/**
 * A private Redis on a free port, killed while a Redisson client is connected to it: the
 * command after the kill fails in the application, and its record is a
 * {@code redis.request.error} coded with the simple name of the exception the application got
 * (as Jedis and Lettuce connection failures are: docs/instrumentation/redis.md). And in child
 * JVMs (FaultScenario), a server paused (a timeout) then killed: the application sees the same
 * with and without the agent, and each failed command is coded with the exception it got.
 */
@ExtendWith(NoInstrumentationErrors.class)
class RedissonFaultTest {
    private static final String REDIS_SERVER = FaultScenario.REDIS_SERVER;
    private Process server;
    private RedissonClient client;
    private Path dir;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
        if (server != null) {
            FaultScenario.stop(server, dir);
        }
    }

    private static void requireRedisServer() {
        if (!new File(REDIS_SERVER).canExecute()) {
            String reason = REDIS_SERVER + " is missing (Debian's redis-server package)";
            if (Servers.inCi()) {
                throw new AssertionError(reason);
            }
            Assumptions.assumeTrue(false, reason);
        }
    }

    @Test
    void commandsToAServerThatIsGoneAreCodedWithTheApplicationsException() throws Exception {
        requireRedisServer();
        int port = FaultScenario.freePort();
        dir = Files.createTempDirectory("rpctrace-redisson-fault");
        server = FaultScenario.startServer(port, dir);
        client = FaultScenario.connect(port);
        RBucket<String> bucket = client.getBucket("rpct:redisson:fault", StringCodec.INSTANCE);

        AgentRecords agent = AgentRecords.start();
        String traceId;
        Exception failed;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            bucket.set("v");                                                   // 0.2
            server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            failed = assertThrows(Exception.class, bucket::get);               // 0.3
        }
        assertTrue(failed.getClass().getName().startsWith("org.redisson."), failed.toString());
        String host = "127.0.0.1:" + port;
        AwaitRecords.until(agent, r -> r.inTrace(traceId).named("redis.request").size() >= 1)
                .inTrace(traceId).named("redis.request").single().hasRpcId("0.2")
                .has("x_action", "SET rpct:redisson:fault").has("x_code", "0").has("x_host", host);
        TraceRecord error = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("redis.request.error").size() >= 1)
                .inTrace(traceId).named("redis.request.error").single().hasRpcId("0.3")
                .has("x_action", "GET rpct:redisson:fault").has("x_code", failed.getClass().getSimpleName()).record();
        assertNotNull(error.string("x_msg"), error.line());
        assertEquals(0, AgentRecords.internalErrors(), "errors caught in the agent's advice");
    }

    @Test
    void aPausedThenKilledServerGivesErrorCodesAndTheSameResultsWithAndWithoutTheAgent() {
        requireRedisServer();
        ChildJvm.Result with = ChildJvm.withAgent().main(FaultScenario.class).run().assertExitCode(0);
        ChildJvm.Result without = ChildJvm.withoutAgent().main(FaultScenario.class).run().assertExitCode(0);
        List<String> saw = with.lines("SAW ");
        assertEquals(without.lines("SAW "), saw, with.stdout() + with.stderr());
        assertEquals(List.of("warm-up returned false", "set returned ok", "get returned v1"), saw.subList(0, 3),
                with.stdout());
        // RedisResponseTimeoutException (a RedisTimeoutException) on 3.17.7 and 3.52
        assertTrue(saw.get(3).matches("get-while-paused threw org\\.redisson\\.client\\.Redis\\w*TimeoutException"), saw.get(3));
        assertTrue(saw.get(4).startsWith("get-after-kill threw org.redisson."), saw.get(4));
        Records trace = Records.of(with.records()).inTrace(with.lines("TRACE ").get(0)).assertUniqueIds();
        trace.named("redis.request").where(r -> "0.2".equals(r.rpcId())).single().has("x_action", "SET fault:k")
                .has("x_code", "0");
        trace.named("redis.request").where(r -> "0.3".equals(r.rpcId())).single().has("x_action", "GET fault:k")
                .has("x_code", "0");
        Records errors = trace.named("redis.request.error");
        assertEquals(List.of("0.4", "0.5"), errors.rpcIds(), trace.toString());
        for (int i = 0; i < 2; i++) {
            String thrown = saw.get(3 + i).substring(saw.get(3 + i).lastIndexOf('.') + 1);
            String id = "0." + (4 + i);
            TraceRecord e = errors.where(r -> id.equals(r.rpcId())).single().record();
            assertEquals(thrown, e.string("x_code"), e.line());
            assertEquals("GET fault:k", e.string("x_action"), e.line());
            assertTrue(e.string("x_msg") != null && !e.string("x_msg").isEmpty(), e.line());
        }
    }
}
