package io.rpctrace.bench.netty41;

import io.rpctrace.bench.cpu.ListenerCpu;
import io.rpctrace.it.rocketmq.Clients;
import io.rpctrace.it.rocketmq.RocketMqServer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
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
 * Issue 18: what the packaged agent adds per RocketMQ send and per consumed message, against the
 * same code without the agent in one JMH run (this class: no agent; {@link WithAgent}:
 * {@code -javaagent:trace-agent/target/trace-agent.jar}, ring writer, records to
 * {@code /tmp/rpctrace-bench}). Plain RocketMQ 5 client code against a real name server and
 * broker (the integration tests' {@code RocketMqServer}: a child JVM per fork, on this class
 * path, never instrumented). No rpctrace code besides the served request around the sends.
 *
 * <ul>
 *   <li>{@code send}: one synchronous {@code send} (64 bytes, a tag) inside a served request:
 *       a loopback round trip to the broker; with the agent the ids in the message's user
 *       properties and a {@code rocketmq.produce} record.</li>
 *   <li>{@code consume}: one message of a push consumer (one consume thread, a
 *       {@code MessageListenerConcurrently} that hands it to the benchmark thread), over a topic
 *       filled before the run with messages that carry a traced producer's ids; a new consumer
 *       group per iteration reads it from its first message. The time per message is the
 *       pipeline's (pulls, the listener thread, the hand-over); with the agent the consume advice
 *       around each listener call (a scope from the properties, a {@code rocketmq.consume}
 *       record) is in it.</li>
 * </ul>
 * With {@code -prof io.rpctrace.bench.cpu.ThreadCpuProfiler}: the CPU time of the sending thread
 * per send ({@code cpu.app}) and of the consume thread per message ({@code cpu.consume}; the
 * application threads), which a loopback round trip's wall time cannot resolve to a microsecond.
 * Not in benchmarks.jar (see this module's pom): run from the repository root after
 * {@code mvn -B -q -pl trace-agent,trace-benchmarks/netty-4.1 -am -DskipTests package}:
 * {@code java -cp "trace-benchmarks/netty-4.1/target/classes:$(cat trace-benchmarks/netty-4.1/target/bench.classpath)" org.openjdk.jmh.Main RocketMqAgentBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "-Drocketmq.client.logRoot=/tmp/rpctrace-bench-rocketmq-logs"})
public class RocketMqAgentBenchmark {
    static final byte[] BODY = "order-0123456789-0123456789-0123456789-0123456789-0123456789-012"
            .getBytes(StandardCharsets.UTF_8);
    /** Messages in the consumed topic: more than one iteration takes (a consumer reads it all again each iteration). */
    static final int FILL = 200_000;
    static final int IN_FLIGHT = 8;
    /** The push consumer's consume thread: {@code cpu.consume} per message handed to the listener. */
    static final ListenerCpu CONSUME_THREAD = ListenerCpu.named("consume");

    /** The name server and broker, a topic to send to and a filled topic to consume. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Broker {
        RocketMqServer server;
        String sent;
        String consumed;

        @Setup
        public void start() throws Exception {
            server = RocketMqServer.start();
            sent = server.topic("sent");
            consumed = server.topic("consumed");
            DefaultMQProducer fill = Clients.producer(server.namesrv());
            try {
                List<Message> batch = new ArrayList<>();
                for (int i = 0; i < FILL; i++) {
                    Message m = new Message(consumed, "bench", BODY);
                    // what a traced producer sends (fresh ids where the agent is attached)
                    m.putUserProperty("x_trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
                    m.putUserProperty("x_rpc_id", "0.2");
                    batch.add(m);
                    if (batch.size() == 200) {
                        fill.send(batch, 30_000);
                        batch.clear();
                    }
                }
            } finally {
                fill.shutdown();
            }
        }

        @TearDown
        public void stop() {
            server.close();
        }
    }

    /** The application's producer. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Producer {
        DefaultMQProducer producer;

        @Setup
        public void open(Broker broker) throws Exception {
            producer = Clients.producer(broker.server.namesrv());
        }

        @TearDown
        public void close() {
            producer.shutdown();
        }
    }

    /** The application's push consumer, a new group each iteration, handing messages to the benchmark thread. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class Consumer {
        final BlockingQueue<MessageExt> received = new ArrayBlockingQueue<>(4096);
        volatile boolean open;
        DefaultMQPushConsumer consumer;

        @Setup(Level.Iteration)
        public void open(Broker broker) throws Exception {
            open = true;
            consumer = Clients.pushConsumer(broker.server.namesrv(), broker.consumed,
                    (MessageListenerConcurrently) (msgs, context) -> {
                        for (MessageExt m : msgs) {
                            CONSUME_THREAD.count();
                            try {
                                if (!open || !received.offer(m, 100, TimeUnit.MILLISECONDS)) {
                                    return ConsumeConcurrentlyStatus.RECONSUME_LATER;
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                return ConsumeConcurrentlyStatus.RECONSUME_LATER;
                            }
                        }
                        return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                    });
            // the iteration starts once messages flow (the group's first rebalance and pull are not measured)
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (received.size() < 1000 && System.nanoTime() < end) {
                Thread.sleep(10);
            }
        }

        MessageExt next() throws InterruptedException {
            MessageExt m = received.poll(10, TimeUnit.SECONDS);
            if (m == null) {
                throw new IllegalStateException("no message for 10 s: the topic (" + FILL + ") ran out or the consumer stopped");
            }
            return m;
        }

        @TearDown(Level.Iteration)
        public void close() {
            CONSUME_THREAD.freeze(); // before its thread ends
            open = false;
            received.clear();
            consumer.shutdown();
            received.clear();
        }
    }

    /** One synchronous send in a served request, acknowledged by the broker. */
    @Benchmark
    public SendResult send(Producer p, Broker b, ServedRequest r) throws Exception {
        return p.producer.send(new Message(b.sent, "bench", BODY));
    }

    /**
     * {@value #IN_FLIGHT} asynchronous sends in a served request, then their acknowledgements:
     * the sending thread blocks once per {@value #IN_FLIGHT} sends, so its CPU time per send is the
     * sends' own work more than the wake-ups (whose CPU cost moves with the machine's load).
     */
    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public void sendsInFlight(Producer p, Broker b, ServedRequest r) throws Exception {
        CountDownLatch acked = new CountDownLatch(IN_FLIGHT);
        AtomicReference<Throwable> failed = new AtomicReference<>();
        SendCallback callback = new SendCallback() {
            @Override
            public void onSuccess(SendResult result) {
                acked.countDown();
            }

            @Override
            public void onException(Throwable e) {
                failed.set(e);
                acked.countDown();
            }
        };
        for (int i = 0; i < IN_FLIGHT; i++) {
            p.producer.send(new Message(b.sent, "bench", BODY), callback);
        }
        if (!acked.await(10, TimeUnit.SECONDS) || failed.get() != null) {
            throw new IllegalStateException("asynchronous sends not acknowledged", failed.get());
        }
    }

    /** One message handled by the push consumer's listener and taken by the application. */
    @Benchmark
    public int consume(Consumer c) throws InterruptedException {
        return c.next().getBody().length;
    }

    /** The same benchmarks with the packaged agent attached (its defaults: ring writer, x_module on). */
    @Fork(value = 1, jvmArgsAppend = {"-Xmx1g",
        "-Drocketmq.client.logRoot=/tmp/rpctrace-bench-rocketmq-logs",
        "-javaagent:trace-agent/target/trace-agent.jar=log.dir=/tmp/rpctrace-bench,service=bench,dir.max.bytes=256m"})
    public static class WithAgent extends RocketMqAgentBenchmark {
    }
}
