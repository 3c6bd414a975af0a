package io.rpctrace.bench.kafka;

import io.rpctrace.testing.kafka.KafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A single-node KRaft broker (the project's {@link KafkaBroker} fixture) in a JVM of its own,
 * for {@code io.rpctrace.bench.KafkaGrpcAgentBenchmark}: the broker jars are not in
 * benchmarks.jar (they are {@code provided}; their class path is written to
 * {@code trace-benchmarks/target/broker.classpath} at build time), and the broker's own work
 * stays out of the measured JVM and away from the agent.
 *
 * <p>Arguments: directory, broker port, controller port. Keeps its log in {@code <dir>/data},
 * creates {@code <dir>/ready} once the broker serves; stops and deletes {@code <dir>/data} when
 * its standard input closes (the benchmark JVM ended or destroyed it).
 */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        KafkaBroker broker = KafkaBroker.start(dir.resolve("data"), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        Files.createFile(dir.resolve("ready"));
        while (System.in.read() != -1) {
            // runs until the benchmark JVM closes our standard input
        }
        broker.close();
        System.exit(0);
    }
}
