package io.rpctrace.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import io.rpctrace.bench.cpu.ListenerCpu;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 18: what the packaged agent adds per RabbitMQ publish and per delivery, against the
 * same code without the agent, in one JMH run (this class: no agent; {@link WithAgent}:
 * {@code -javaagent:trace-agent/target/trace-agent.jar}, ring writer, records to
 * {@code /tmp/rpctrace-bench}), against the RabbitMQ server on 127.0.0.1:5672 (guest/guest).
 * The application code is plain amqp-client 5.x: no rpctrace code besides the served request
 * around the publishes.
 *
 * <ul>
 *   <li>{@code publish}: one {@code basicPublish} (the application's properties with a header
 *       of its own, 64 bytes) to {@code amq.direct} with an unbound routing key (the broker
 *       drops it), inside a served request: the frames written to the socket; with the agent,
 *       a copy of the properties with the ids and a {@code rabbitmq.produce} record.</li>
 *   <li>{@code publishWithIdHeaders}: the same with the id headers already in the
 *       application's properties: without the agent, the cost of the larger message alone.</li>
 *   <li>{@code delivery}: a {@code DefaultConsumer}'s {@code handleDelivery} called as the
 *       client's dispatch thread calls it, with a delivery carrying the headers an instrumented
 *       publisher sends: the network is left out, so the figure is what the agent adds on the
 *       consumer's thread (a scope from the headers and a {@code rabbitmq.consume} record).</li>
 *   <li>{@code roundTrip}: a publish and its delivery to a consumer over the broker, the
 *       publisher waiting for the consumer: both sides together, network included.</li>
 * </ul>
 * With {@code -prof io.rpctrace.bench.cpu.ThreadCpuProfiler}: the CPU time per operation of the
 * publishing thread ({@code cpu.app}) and, in {@code roundTrip}, of the consumer's dispatch thread
 * per delivery ({@code cpu.delivery}): the application threads, which wall time over loopback
 * cannot resolve to a microsecond.
 * Run from the repository root after {@code mvn -B -q -pl trace-agent,trace-benchmarks -am -DskipTests package}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class RabbitMqAgentBenchmark {
    static final byte[] BODY = "order-0123456789-0123456789-0123456789-0123456789-0123456789-012"
            .getBytes(StandardCharsets.UTF_8);
    /** The consumer's dispatch thread in {@code roundTrip}: {@code cpu.delivery} per delivery. */
    static final ListenerCpu DELIVERY_THREAD = ListenerCpu.named("delivery");

    /** A connection to the local broker, a publishing channel and a consumer on a queue of its own. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Broker {
        Connection connection;
        Channel channel;
        String queue;
        AMQP.BasicProperties props;
        /** {@link #props} plus the id headers the agent adds, written by the application itself. */
        AMQP.BasicProperties propsWithIds;
        final SynchronousQueue<byte[]> delivered = new SynchronousQueue<>();

        @Setup
        public void start() throws Exception {
            ConnectionFactory f = new ConnectionFactory();
            f.setHost("127.0.0.1");
            f.setPort(5672);
            f.setUsername("guest");
            f.setPassword("guest");
            connection = f.newConnection("rpctrace-bench");
            channel = connection.createChannel();
            Map<String, Object> headers = new HashMap<>();
            headers.put("tenant", "acme");
            props = new AMQP.BasicProperties.Builder().contentType("text/plain").headers(headers).build();
            Map<String, Object> withIds = new HashMap<>(headers);
            withIds.put("x-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736");
            withIds.put("x-rpc-id", "0.123456");
            withIds.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-3f1c2b4a5d6e7f80-01");
            propsWithIds = new AMQP.BasicProperties.Builder().contentType("text/plain").headers(withIds).build();
            queue = channel.queueDeclare("", false, true, true, null).getQueue();
            Channel consumer = connection.createChannel();
            consumer.basicConsume(queue, true, new DefaultConsumer(consumer) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties p, byte[] body) {
                    DELIVERY_THREAD.count();
                    try {
                        delivered.put(body);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
        }

        @TearDown
        public void stop() throws IOException {
            DELIVERY_THREAD.freeze(); // before the dispatch thread ends
            connection.close();
        }
    }

    /** A consumer and one delivery as the broker hands it: the ids of an instrumented publisher in its headers. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Delivery {
        BenchConsumer consumer;
        Envelope envelope;
        AMQP.BasicProperties props;

        @Setup
        public void build() {
            consumer = new BenchConsumer();
            envelope = new Envelope(42, false, "", "orders");
            Map<String, Object> headers = new HashMap<>();
            headers.put("tenant", "acme");
            headers.put("x-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736");
            headers.put("x-rpc-id", "0.5.2");
            headers.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-3f1c2b4a5d6e7f80-01");
            props = new AMQP.BasicProperties.Builder().contentType("text/plain").headers(headers).build();
        }
    }

    /** The application's consumer: a trivial body. */
    public static final class BenchConsumer extends DefaultConsumer {
        long bytes;

        BenchConsumer() {
            super(null);
        }

        @Override
        public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
            bytes += body.length + props.getHeaders().size();
        }
    }

    /** One basicPublish in a served request. */
    @Benchmark
    public void publish(Broker b, ServedRequest r) throws IOException {
        b.channel.basicPublish("amq.direct", "bench.nowhere", b.props, BODY);
    }

    /**
     * The same publish with the id headers written by the application: without the agent, what
     * the larger message alone costs (the broker shares the machine's cores with the benchmark).
     */
    @Benchmark
    public void publishWithIdHeaders(Broker b, ServedRequest r) throws IOException {
        b.channel.basicPublish("amq.direct", "bench.nowhere", b.propsWithIds, BODY);
    }

    /** One delivery handled, as the client's dispatch thread hands it to the consumer. */
    @Benchmark
    public long delivery(Delivery d) throws IOException {
        d.consumer.handleDelivery("amq.ctag-bench", d.envelope, d.props, BODY);
        return d.consumer.bytes;
    }

    /** A publish and its delivery over the broker (outside any scope: a trace each, as a scheduled job's). */
    @Benchmark
    public byte[] roundTrip(Broker b) throws Exception {
        b.channel.basicPublish("", b.queue, b.props, BODY);
        return b.delivered.take();
    }

    /** The same benchmarks with the packaged agent attached (its defaults: ring writer, x_module on). */
    @Fork(value = 1, jvmArgsAppend = {"-Xmx1g",
        "-javaagent:trace-agent/target/trace-agent.jar=log.dir=/tmp/rpctrace-bench,service=bench,dir.max.bytes=256m"})
    public static class WithAgent extends RabbitMqAgentBenchmark {
    }
}
