package io.rpctrace.bench;

import com.rabbitmq.client.AMQP;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.instrumentation.rabbitmq.AmqpCalls;
import io.rpctrace.instrumentation.rabbitmq.AmqpDeliveries;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 18: what the rabbitmq module's advice does on the application's thread, without the
 * network and the broker, against the same operation untraced, in one run
 * ({@code tracing=off|on}). {@link RabbitMqAgentBenchmark} measures the same with the packaged
 * agent and a real broker, where the socket write and the broker sharing the cores dominate.
 *
 * <ul>
 *   <li>{@code publish}: building the application's properties (a header of its own);
 *       {@code on} adds what the publish advice does: start the call, hand the client's writer
 *       the header table with the ids, end it (a {@code rabbitmq.produce} record).</li>
 *   <li>{@code delivery}: reading a delivery's headers; {@code on} adds the delivery advice:
 *       a scope entered from the headers and a {@code rabbitmq.consume} record.</li>
 * </ul>
 * Publishes run inside a served request, deliveries outside any (as on the client's consumer
 * threads). Records go to the file writer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Drpctrace.log.dir=/tmp/rpctrace-bench", "-Drpctrace.service=bench"})
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class RabbitMqCallsBenchmark {
    @Param({"off", "on"})
    public String tracing;

    private boolean on;
    private Span request;
    private final Object connection = new Object();
    private final Object consumer = new Object();
    private Map<String, Object> appHeaders;
    private Map<String, Object> deliveredHeaders;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        on = "on".equals(tracing);
        appHeaders = new HashMap<>();
        appHeaders.put("tenant", "acme");
        deliveredHeaders = new HashMap<>(appHeaders);
        deliveredHeaders.put("x-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736");
        deliveredHeaders.put("x-rpc-id", "0.5.2");
        deliveredHeaders.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-3f1c2b4a5d6e7f80-01");
        AmqpCalls.host(connection, InetAddress.getByName("127.0.0.1"), 5672);
        AmqpCalls.consuming(consumer, "orders", "127.0.0.1:5672");
    }

    @Setup(Level.Iteration)
    public void enter() {
        request = Trace.enter(null, null);
    }

    @TearDown(Level.Iteration)
    public void exit() {
        request.close();
    }

    @Benchmark
    public Object publish() {
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("text/plain")
                .headers(appHeaders).build();
        if (on) {
            Span call = AmqpCalls.publish("shop", "orders.created", AmqpCalls.host(connection), 64);
            AmqpCalls.deferHeaders(call);   // the properties carry headers (ChannelInstrumentation)
            // the table the client's writer is handed instead (HeaderTableInstrumentation)
            Map<String, Object> table = AmqpCalls.headersToWrite(props.getHeaders());
            AmqpCalls.published(call, null);
            return table;
        }
        return props;
    }

    @Benchmark
    public Object delivery() {
        request.exitScope();   // consumer threads run outside any scope
        Object tenant = deliveredHeaders.get("tenant");
        if (on) {
            Span s = AmqpDeliveries.delivered(consumer, "shop", "orders.created", 42, false, deliveredHeaders, 64);
            AmqpDeliveries.processed(s, null);
        }
        return tenant;
    }
}
