package io.rpctrace.it.redisson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.Servers;
import io.rpctrace.testing.TraceRecord;
import java.io.File;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * A private Redis on a free port, killed while a Redisson client is connected to it: the
 * command after the kill fails in the application, and its record is a
 * {@code redis.request.error} coded with the simple name of the exception the application got
 * (as Jedis and Lettuce connection failures are: docs/instrumentation/redis.md).
 */
@ExtendWith(NoInstrumentationErrors.class)
class RedissonFaultTest {
    private static final String REDIS_SERVER = "/usr/bin/redis-server";
    private Process server;
    private RedissonClient client;
    private Path dir;

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        if (dir != null) {
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void commandsToAServerThatIsGoneAreCodedWithTheApplicationsException() throws Exception {
        if (!new File(REDIS_SERVER).canExecute()) {
            String reason = REDIS_SERVER + " is missing (Debian's redis-server package)";
            if (Servers.inCi()) {
                throw new AssertionError(reason);
            }
            Assumptions.assumeTrue(false, reason);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        dir = Files.createTempDirectory("rpctrace-redisson-fault");
        server = new ProcessBuilder(REDIS_SERVER, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Servers.reachable("127.0.0.1", port) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:" + port).setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(2).setSubscriptionConnectionMinimumIdleSize(0).setTimeout(500)
                .setConnectTimeout(500).setRetryAttempts(0).setRetryInterval(100);
        client = Redisson.create(config);
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
}
