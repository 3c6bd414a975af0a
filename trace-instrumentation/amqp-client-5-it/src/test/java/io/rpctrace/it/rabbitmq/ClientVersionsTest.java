package io.rpctrace.it.rabbitmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.Servers;
import io.rpctrace.testing.TraceRecord;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The floor (amqp-client {@code amqp.floor.version}) and the latest client, each in a child JVM
 * whose class path holds only that client and {@link VersionScenario}: with the agent the
 * records are there; without it the application sees exactly the same.
 */
class ClientVersionsTest {
    private static List<String> withoutAgent;

    @BeforeAll
    static void baseline() throws Exception {
        Servers.require("RabbitMQ", Broker.HOST, Broker.PORT);
        ChildJvm.Result r = ChildJvm.withoutAgent().classPath(classPath("amqp.latest.dir"))
                .main(VersionScenario.class).run().assertExitCode(0);
        withoutAgent = r.lines("RESULT ");
        assertEquals(List.of(
                "consumer one type=text/plain priority=3 tenant=acme",
                "callback two type=null priority=null tenant=null",
                "get three type=text/plain priority=3 tenant=acme left=0",
                "thrower four",
                "missing-exchange open=false reason=#method<channel.close>(reply-code=404, reply-text=NOT_FOUND - no "
                        + "exchange 'no-such-exchange-scenario' in vhost '/', class-id=60, method-id=40)",
                "publish-after-close com.rabbitmq.client.AlreadyClosedException"), withoutAgent);
    }

    @Test
    void theFloorClient() throws Exception {
        withTheAgent("amqp.floor.dir", System.getProperty("amqp.floor.version"));
    }

    @Test
    void theLatestClient() throws Exception {
        withTheAgent("amqp.latest.dir", System.getProperty("amqp.version"));
    }

    private static void withTheAgent(String dirProperty, String version) throws Exception {
        ChildJvm.Result r = ChildJvm.withAgent().classPath(classPath(dirProperty))
                .main(VersionScenario.class).run().assertExitCode(0);
        assertTrue(r.lines("JAR ").get(0).endsWith("amqp-client-" + version + ".jar"), r.lines("JAR ").toString());
        assertEquals(withoutAgent, r.lines("RESULT "), "the application sees the same with the agent");

        // outside any scope each publish starts a trace of its own (0.1); its delivery continues it (0.1.1)
        Records all = Records.of(r.records());
        List<TraceRecord> produced = all.named("rabbitmq.produce").list();
        assertEquals(5, produced.size(), all.toString());
        for (TraceRecord p : produced) {
            assertEquals("0.1", p.rpcId());
            assertEquals("127.0.0.1:5672", p.string("x_host"));
        }
        Records consumed = all.where(c -> c.name().startsWith("rabbitmq.consume"));
        assertEquals(4, consumed.size(), all.toString());
        for (TraceRecord c : consumed.list()) {
            assertEquals("0.1.1", c.rpcId());
            all.inTrace(c.traceId()).named("rabbitmq.produce").single().hasRpcId("0.1");
        }
        all.named("rabbitmq.consume.error").single().has("x_code", "IllegalStateException");
        TraceRecord failed = all.named("rabbitmq.produce.error").single().has("x_code", "404").record();
        assertEquals("0.1", failed.rpcId());
    }

    private static String classPath(String dirProperty) throws Exception {
        try (Stream<Path> jars = Files.list(Paths.get(System.getProperty(dirProperty)))) {
            return Stream.concat(Stream.of(Paths.get("target", "test-classes").toAbsolutePath().toString()),
                    jars.map(Path::toString)).collect(Collectors.joining(File.pathSeparator));
        }
    }
}
