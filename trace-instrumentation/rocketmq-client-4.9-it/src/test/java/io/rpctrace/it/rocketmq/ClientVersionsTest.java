package io.rpctrace.it.rocketmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The floor (rocketmq-client {@code rocketmq.floor.version}, its own dependencies only) and the
 * latest client, each in a child JVM running {@link VersionScenario} against the shared server:
 * with the agent the records are there; without it the application sees exactly the same.
 */
class ClientVersionsTest {
    private static final List<String> EXPECTED = List.of(
            "send SEND_OK",
            "push one tags=paid tenant=acme",
            "retry 0 two tags=again tenant=null",
            "retry 1 two tags=again tenant=null",
            "no-route 10005",
            "async SEND_OK",
            "pull 1 four tags=pulled tenant=null");
    private static final String REBALANCE = "rocketmq.client.rebalance.waitInterval";

    @Test
    void theFloorClient() throws Exception {
        run(floorClassPath(), System.getProperty("rocketmq.floor.version"));
    }

    @Test
    void theLatestClient() throws Exception {
        run(null, System.getProperty("rocketmq.version"));
    }

    private static void run(String classPath, String version) throws Exception {
        RocketMqServer server = RocketMqServer.shared();
        // each JVM has topics (and so groups) of its own: the two run side by side
        ChildJvm withoutAgent = scenario(ChildJvm.withoutAgent(), classPath, server);
        ChildJvm withAgent = scenario(ChildJvm.withAgent(), classPath, server);
        CompletableFuture<ChildJvm.Result> baseline = CompletableFuture.supplyAsync(withoutAgent::run);
        ChildJvm.Result r = withAgent.run().assertExitCode(0);
        ChildJvm.Result without = baseline.join().assertExitCode(0);
        assertEquals(EXPECTED, without.lines("RESULT "), without.stdout());
        assertTrue(r.lines("JAR ").get(0).endsWith("rocketmq-client-" + version + ".jar"), r.lines("JAR ").toString());
        assertEquals(EXPECTED, r.lines("RESULT "), "the application sees the same with the agent");

        // outside any scope each send starts a trace of its own (0.1); its consumption continues it (0.1.1)
        Records all = Records.of(r.records());
        List<TraceRecord> produced = all.named("rocketmq.produce").list();
        assertEquals(4, produced.size(), all.toString());
        for (TraceRecord p : produced) {
            assertEquals("0.1", p.rpcId());
            assertEquals(server.broker(), p.string("x_host"));
        }
        all.named("rocketmq.produce.error").single().hasRpcId("0.1").has("x_code", "10005");
        Records consumed = all.where(c -> c.name().startsWith("rocketmq.consume"));
        assertEquals(4, consumed.size(), all.toString());   // push, retry twice, pull
        for (TraceRecord c : consumed.list()) {
            assertEquals("0.1.1", c.rpcId());
            all.inTrace(c.traceId()).named("rocketmq.produce").single().hasRpcId("0.1");
        }
        all.named("rocketmq.consume.error").single().has("x_code", "RECONSUME_LATER");
    }

    private static ChildJvm scenario(ChildJvm jvm, String classPath, RocketMqServer server) throws Exception {
        if (classPath != null) {
            // 4.9.0's Netty 4.0 reads java.nio.Buffer.address: on JDK 9+ the application needs this, agent or not
            jvm.classPath(classPath).jvmArg("--add-opens", "java.base/java.nio=ALL-UNNAMED");
        }
        return jvm.jvmArg("-Drocketmq.client.logRoot=" + Paths.get("target", "rocketmq-client-logs").toAbsolutePath(),
                        "-D" + REBALANCE + "=" + System.getProperty(REBALANCE, "20000"))   // as this JVM (pom.xml)
                .timeoutSeconds(240).main(VersionScenario.class, server.namesrv(), server.topic("push"),
                        server.topic("retry"), server.topic("async"), server.topic("pull"));
    }

    private static String floorClassPath() throws Exception {
        try (Stream<Path> jars = Files.list(Paths.get(System.getProperty("rocketmq.floor.dir")))) {
            return Stream.concat(Stream.of(Paths.get("target", "test-classes").toAbsolutePath().toString()),
                    jars.map(Path::toString)).collect(Collectors.joining(File.pathSeparator));
        }
    }
}
