package io.rpctrace.it.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.kafka.KafkaBroker;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The floor of the supported range (kafka-clients 2.x, {@code kafka.floor.version}) against
 * the same in-JVM broker, in a child JVM whose class path holds only that client and the
 * scenario.
 */
class FloorClientTest {
    @Test
    void produceAndConsumeWithTheFloorClient() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.createTopics(1, "floor");
            String cp;
            try (Stream<Path> jars = Files.list(Paths.get(System.getProperty("kafka.floor.dir")))) {
                cp = Stream.concat(Stream.of(Paths.get("target", "test-classes").toAbsolutePath().toString()),
                        jars.map(Path::toString)).collect(Collectors.joining(File.pathSeparator));
            }
            ChildJvm.Result r = ChildJvm.withAgent().classPath(cp)
                    .main(FloorScenario.class, broker.bootstrap(), "floor").run().assertExitCode(0);
            assertTrue(r.lines("JAR ").get(0).endsWith("kafka-clients-" + System.getProperty("kafka.floor.version") + ".jar"),
                    r.lines("JAR ").toString());
            String traceId = r.lines("TRACE ").get(0);
            assertEquals(List.of(traceId + " 0.2.1 0.2"), r.lines("SEEN "));
            assertEquals(List.of("[]"), r.lines("AFTER ").stream().distinct().collect(Collectors.toList()));
            Records trace = Records.of(r.records()).inTrace(traceId);
            trace.named("kafka.produce").single().hasRpcId("0.2").has("x_action", "floor").has("x_host", broker.bootstrap());
            trace.named("kafka.consume").single().hasRpcId("0.2.1").has("x_action", "floor");
        }
    }
}
