package io.rpctrace.testing.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node KRaft Kafka broker (broker and controller in one process, no ZooKeeper,
 * no Docker) inside the calling JVM, on 127.0.0.1, with topic auto-creation off and one
 * partition per topic unless asked otherwise. Ready in a few seconds.
 *
 * <p>The broker jars are not dependencies of this artifact (they are {@code provided} here, so
 * an it-module that needs no broker does not get them): a user adds
 * {@code org.apache.kafka:kafka_2.13} and {@code kafka-clients} at {@code ${kafka.version}} and,
 * since {@code kafka_2.13} brings slf4j-api 1.7, slf4j-api 2.x.
 *
 * <pre>{@code
 * try (KafkaBroker broker = KafkaBroker.start()) {     // temporary log directory, free ports
 *     broker.createTopics(3, "orders");
 *     producerConfig.put("bootstrap.servers", broker.bootstrap());
 *     ...
 * }                                                     // stopped, log directory deleted
 * }</pre>
 */
public final class KafkaBroker implements AutoCloseable {
    private final Path dir;
    private final Properties config;
    private KafkaRaftServer server;
    private final int port;
    private boolean stopped;

    private KafkaBroker(Path dir, Properties config, KafkaRaftServer server, int port) {
        this.dir = dir;
        this.config = config;
        this.server = server;
        this.port = port;
    }

    /** Formats a new temporary log directory and starts a broker on two free ports. */
    public static KafkaBroker start() throws IOException {
        int port = freePort();
        int controllerPort = freePort();
        while (controllerPort == port) {   // two closed-and-returned ports can be the same one
            controllerPort = freePort();
        }
        return start(Files.createTempDirectory("rpctrace-kraft"), port, controllerPort);
    }

    /**
     * Formats {@code dir} (created if missing) and starts a broker listening on
     * {@code 127.0.0.1:port}, its controller on {@code 127.0.0.1:controllerPort}. For a broker
     * that other JVMs find at a known address (the demo, the benchmarks).
     */
    public static KafkaBroker start(Path dir, int port, int controllerPort) throws IOException {
        Files.createDirectories(dir);
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", dir.toString());
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // Tests create their topics explicitly: a typo in a topic name fails instead of
        // silently creating a second topic.
        p.put("auto.create.topics.enable", "false");
        p.put("num.partitions", "1");
        try {
            new Formatter().setClusterId(Uuid.randomUuid().toString()).setNodeId(1)
                    .setControllerListenerName("CONTROLLER").setMetadataLogDirectory(dir.toString())
                    .setDirectories(List.of(dir.toString())).setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .run();
        } catch (Exception e) {
            throw new IOException("could not format the KRaft log directory " + dir, e);
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(p), Time.SYSTEM);
        server.startup();
        return new KafkaBroker(dir, p, server, port);
    }

    /** The {@code bootstrap.servers} value for clients: {@code 127.0.0.1:<port>}. */
    public String bootstrap() {
        return "127.0.0.1:" + port;
    }

    /** The broker's (PLAINTEXT) port. */
    public int port() {
        return port;
    }

    /** The broker's log directory. */
    public Path dir() {
        return dir;
    }

    /** Creates topics with {@code partitions} partitions each (replication factor 1) and waits for them. */
    public void createTopics(int partitions, String... names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()))) {
            admin.createTopics(Stream.of(names).map(n -> new NewTopic(n, partitions, (short) 1)).toList()).all().get();
        }
    }

    /** Stops the broker and waits until it has stopped; the log directory stays until {@link #close()}. */
    public void stop() {
        if (!stopped) {
            stopped = true;
            server.shutdown();
            server.awaitShutdown();
        }
    }

    /**
     * Starts the broker again after {@link #stop()} (or stops it first), on the same log
     * directory and ports, keeping its topics, messages and committed offsets: a broker restart
     * as clients see it.
     */
    public void restart() {
        stop();
        server = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
        server.startup();
        stopped = false;
    }

    /** Stops the broker and deletes its log directory. */
    @Override
    public void close() throws IOException {
        stop();
        delete(dir);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
