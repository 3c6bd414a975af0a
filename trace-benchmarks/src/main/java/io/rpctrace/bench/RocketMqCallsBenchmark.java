package io.rpctrace.bench;

import io.rpctrace.instrumentation.rocketmq.ConsumeScopes;
import io.rpctrace.instrumentation.rocketmq.ProduceCall;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 18: what the rocketmq module's advice does on the application's thread, without the
 * network and the broker, against the same operation untraced, in one run
 * ({@code tracing=off|on}).
 *
 * <ul>
 *   <li>{@code send}: the application's message properties (a map with a property of its own,
 *       as {@code Message.putUserProperty} keeps them); {@code on} adds what the send advice does:
 *       start the call, put the ids in the properties, end it with the broker's answer (a
 *       {@code rocketmq.produce} record).</li>
 *   <li>{@code consume}: reading a consumed message's property; {@code on} adds the push
 *       consumer's advice around a listener call of one message: a scope entered from the
 *       properties and a {@code rocketmq.consume} record ended by the answer.</li>
 * </ul>
 * Sends run inside a served request, consumption outside any (as on the consumer's threads).
 * Records go to the file writer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Drpctrace.log.dir=/tmp/rpctrace-bench", "-Drpctrace.service=bench"})
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class RocketMqCallsBenchmark {
    @Param({"off", "on"})
    public String tracing;

    private boolean on;
    private Map<String, String> consumed;

    @Setup(Level.Trial)
    public void setUp() {
        on = "on".equals(tracing);
        consumed = new HashMap<>();
        consumed.put("tenant", "acme");
        consumed.put("x_trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
        consumed.put("x_rpc_id", "0.5.2");
        consumed.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-3f1c2b4a5d6e7f80-01");
    }

    @Benchmark
    public Map<String, String> send(ServedRequest r) {
        Map<String, String> props = new HashMap<>();
        props.put("tenant", "acme");
        if (on) {
            ProduceCall call = ProduceCall.start("orders", "paid", "SYNC", 64);
            String[] ids = call.properties();
            for (int i = 0; ids[i] != null; i += 2) {
                props.put(ids[i], ids[i + 1]);
            }
            call.sentTo("127.0.0.1:10911", "broker-a");
            ProduceCall.endSend();
            if (call.claim()) {
                call.acked("SEND_OK", "7F0000010000948D00000000000001DA", 0, 42);
            }
        }
        return props;
    }

    @Benchmark
    public Object consume(ServedRequest r) {
        r.request.exitScope();   // consumer threads run outside any scope
        Object tenant = consumed.get("tenant");
        if (on) {
            ConsumeScopes.begin(1).add("orders", "paid", "7F0000010000948D00000000000001DA", consumed, 0, 0, 42,
                    "127.0.0.1:10911", "broker-a", 64);
            ConsumeScopes.end("CONSUME_SUCCESS", "billing");
        }
        return tenant;
    }
}
