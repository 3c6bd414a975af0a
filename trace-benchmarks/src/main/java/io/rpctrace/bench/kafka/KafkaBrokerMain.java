package io.rpctrace.bench.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A single-node KRaft broker in a JVM of its own, for {@code io.rpctrace.bench.KafkaGrpcAgentBenchmark}: the broker
 * jars are not in benchmarks.jar (they are {@code provided}; their class path is written to
 * {@code trace-benchmarks/target/broker.classpath} at build time), and the broker's own work
 * stays out of the measured JVM and away from the agent.
 *
 * <p>Arguments: log directory, broker port, controller port. Creates {@code <dir>/ready} once
 * the broker serves; stops and deletes the directory when its standard input closes (the
 * benchmark JVM ended or destroyed it).
 */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String port = args[1];
        String controller = args[2];
        Path data = dir.resolve("data");
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controller);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", data.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        new Formatter().setClusterId(Uuid.randomUuid().toString()).setNodeId(1)
                .setControllerListenerName("CONTROLLER").setMetadataLogDirectory(data.toString())
                .setDirectories(List.of(data.toString())).setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .run();
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM);
        server.startup();
        Files.createFile(dir.resolve("ready"));
        while (System.in.read() != -1) {
            // runs until the benchmark JVM closes our standard input
        }
        server.shutdown();
        server.awaitShutdown();
        delete(dir);
        System.exit(0);
    }

    static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
