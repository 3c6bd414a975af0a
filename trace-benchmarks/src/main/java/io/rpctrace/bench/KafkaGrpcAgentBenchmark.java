package io.rpctrace.bench;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 7, end to end: what the packaged agent adds per Kafka {@code send}, per consumed
 * message and per unary gRPC call, against the same code without the agent, in one JMH run
 * (this class: no agent; {@link WithAgent}: {@code -javaagent:trace-agent/target/trace-agent.jar},
 * records written by the ring writer to {@code /tmp/rpctrace-bench}). The application code
 * is plain: no interceptor, no header, no API call besides the served request around the
 * producer and the gRPC client.
 *
 * <ul>
 *   <li>{@code grpcUnaryInProcess}: a blocking unary call over an in-process channel and
 *       server built with their builders (direct executors), inside a served request; with the
 *       agent, both builders got the interceptors (a {@code grpc.request} and a
 *       {@code request.info} per call).</li>
 *   <li>{@code kafkaSend}: 100 {@code send}s inside a served request, then {@code flush()}
 *       (waits for the acknowledgements): the cost per send including the acknowledgement on
 *       the producer's I/O thread, where the agent writes {@code kafka.produce}.</li>
 *   <li>{@code kafkaSendWithIdHeaders}: the same with the three headers the agent writes added
 *       by the application: without the agent, what carrying the ids costs Kafka itself.</li>
 *   <li>{@code kafkaConsume}: one message taken from the current batch of a poll loop over a
 *       pre-filled topic (polling again when the batch is used up, from the start of the
 *       partition at its end); with the agent, each message runs in its own scope and ends
 *       with a {@code kafka.consume} record.</li>
 * </ul>
 * The Kafka broker runs in a JVM of its own ({@code KafkaBrokerMain}, started per fork), so
 * its work is the same in both forks and never instrumented. Run from the repository root
 * after {@code mvn -B -q -pl trace-agent,trace-benchmarks -am -DskipTests package}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 2)   // the agent's fork has more code to compile: give the JIT time
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class KafkaGrpcAgentBenchmark {
    static final String TRACE_PARENT_FREE_VALUE = "order-0123456789";
    static final int SENDS = 100;
    static final int FILL = 200_000;

    static {
        // benchmarks.jar carries Logback without a configuration (DEBUG to the console): the
        // Kafka clients' logging would dominate what is measured
        if (org.slf4j.LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Grpc {
        Server server;
        ManagedChannel channel;

        @Setup
        public void start() throws IOException {
            ServerServiceDefinition echo = KafkaGrpcBenchmark.echo();
            server = InProcessServerBuilder.forName("bench-agent").directExecutor().addService(echo).build().start();
            channel = InProcessChannelBuilder.forName("bench-agent").directExecutor().build();
        }

        @TearDown
        public void stop() {
            channel.shutdownNow();
            server.shutdownNow();
        }
    }

    /** A KRaft broker in a child JVM, a topic to send to and a pre-filled one to consume. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Broker {
        Process process;
        Path dir;
        String bootstrap;

        @Setup
        public void start() throws Exception {
            Path classpath = Path.of("trace-benchmarks/target/broker.classpath");
            if (!Files.exists(classpath)) {
                throw new IllegalStateException("run from the repository root after packaging trace-benchmarks: "
                        + classpath + " is missing");
            }
            dir = Files.createTempDirectory("rpctrace-bench-kraft");
            int port = freePort();
            int controllerPort = freePort();
            while (controllerPort == port) {   // two closed-and-returned ports can be the same one
                controllerPort = freePort();
            }
            String cp = Files.readString(classpath).trim() + java.io.File.pathSeparator
                    + System.getProperty("java.class.path");
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx768m", "-cp", cp, "io.rpctrace.bench.kafka.KafkaBrokerMain",
                    dir.toString(), String.valueOf(port), String.valueOf(controllerPort))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("broker.out").toFile()).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.exists(dir.resolve("ready"))) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker did not start: see " + dir.resolve("broker.out"));
                }
                Thread.sleep(100);
            }
            bootstrap = "127.0.0.1:" + port;
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic("sent", 1, (short) 1), new NewTopic("consumed", 1, (short) 1)))
                        .all().get();
            }
            try (KafkaProducer<String, String> fill = producer(bootstrap)) {
                for (int i = 0; i < FILL; i++) {
                    ProducerRecord<String, String> r = new ProducerRecord<>("consumed", "k", TRACE_PARENT_FREE_VALUE);
                    // what a traced producer sends (replaced by fresh ids where the agent is attached)
                    r.headers().add("x-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736".getBytes(StandardCharsets.UTF_8));
                    r.headers().add("x-rpc-id", "0.2".getBytes(StandardCharsets.UTF_8));
                    fill.send(r);
                }
                fill.flush();
            }
        }

        @TearDown
        public void stop() throws Exception {
            try (OutputStream in = process.getOutputStream()) {
                in.flush();   // closing the broker's standard input stops it
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            if (Files.exists(dir)) {   // the broker deletes its data when it stops in time; the rest is ours
                try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (IOException | java.io.UncheckedIOException ignored) {
                    // deleted concurrently by the broker
                }
            }
        }
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "1", ProducerConfig.LINGER_MS_CONFIG, 1,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Producer {
        KafkaProducer<String, String> producer;

        @Setup
        public void open(Broker broker) {
            producer = producer(broker.bootstrap);
        }

        @TearDown
        public void close() {
            producer.close(Duration.ofSeconds(10));
        }
    }

    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Consumer {
        final TopicPartition partition = new TopicPartition("consumed", 0);
        KafkaConsumer<String, String> consumer;
        Iterator<ConsumerRecord<String, String>> batch = List.<ConsumerRecord<String, String>>of().iterator();

        @Setup
        public void open(Broker broker) {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "bench", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                    ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
        }

        ConsumerRecord<String, String> next() {
            while (!batch.hasNext()) {
                var records = consumer.poll(Duration.ofMillis(100));
                if (records.isEmpty()) {
                    consumer.seekToBeginning(List.of(partition));   // at the end: read the partition again
                }
                batch = records.iterator();
            }
            return batch.next();
        }

        @TearDown
        public void close() {
            consumer.close(Duration.ofSeconds(10));
        }
    }

    /** One unary call, client and server side. */
    @Benchmark
    public String grpcUnaryInProcess(Grpc grpc, ServedRequest req) {
        return ClientCalls.blockingUnaryCall(grpc.channel, KafkaGrpcBenchmark.SAY, CallOptions.DEFAULT, "hi");
    }

    /** One send, amortised over 100 sends and the flush that waits for their acknowledgements. */
    @Benchmark
    @OperationsPerInvocation(SENDS)
    public void kafkaSend(Producer p, ServedRequest req) {
        for (int i = 0; i < SENDS; i++) {
            p.producer.send(new ProducerRecord<>("sent", "k", TRACE_PARENT_FREE_VALUE));
        }
        p.producer.flush();
    }

    /**
     * {@link #kafkaSend} with the three headers the agent writes (ids and {@code traceparent})
     * added by the application, their values made once: without the agent, what headers of that
     * size cost Kafka itself (the header objects, the list, the names encoded per send); with it,
     * the agent replaces them.
     */
    @Benchmark
    @OperationsPerInvocation(SENDS)
    public void kafkaSendWithIdHeaders(Producer p, ServedRequest req) {
        for (int i = 0; i < SENDS; i++) {
            ProducerRecord<String, String> r = new ProducerRecord<>("sent", "k", TRACE_PARENT_FREE_VALUE);
            r.headers().add("x-trace-id", ID_HEADERS[0]).add("x-rpc-id", ID_HEADERS[1]).add("traceparent", ID_HEADERS[2]);
            p.producer.send(r);
        }
        p.producer.flush();
    }

    /** Values of the id headers an instrumented producer sends: a trace id, a call id, a {@code traceparent}. */
    static final byte[][] ID_HEADERS = {
        "0af7651916cd43dd8448eb211c80319c".getBytes(StandardCharsets.US_ASCII),
        "0.1.17".getBytes(StandardCharsets.US_ASCII),
        "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01".getBytes(StandardCharsets.US_ASCII),
    };

    /** One message of a poll loop processed (a trivial body), polls amortised. */
    @Benchmark
    public int kafkaConsume(Consumer c) {
        return c.next().value().length();
    }

    /** The same benchmarks with the packaged agent attached (its defaults: ring writer, x_module on). */
    @Fork(value = 1, jvmArgsAppend = {"-Xmx1g",
        "-javaagent:trace-agent/target/trace-agent.jar=log.dir=/tmp/rpctrace-bench,service=bench,dir.max.bytes=256m"})
    public static class WithAgent extends KafkaGrpcAgentBenchmark {
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }
}
