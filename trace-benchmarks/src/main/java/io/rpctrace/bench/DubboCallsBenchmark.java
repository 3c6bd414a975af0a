package io.rpctrace.bench;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.instrumentation.dubbo.DubboCalls;
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
 * Issue 18: what the dubbo module's advice does on the application's threads, without the
 * network and Dubbo itself, against the same operation untraced, in one run
 * ({@code tracing=off|on}).
 *
 * <ul>
 *   <li>{@code consumerCall}: the application's attachments map (one entry of its own);
 *       {@code on} adds what the consumer advice does for a synchronous call: start the call
 *       (caller module lookup, cached), the attachments to set (ids, {@code traceparent}),
 *       put them on the map, end it (a {@code dubbo.request} record).</li>
 *   <li>{@code providerServe}: reading one attachment of what a provider's invocation carries
 *       (Dubbo's own entries — {@code path}, {@code interface}, {@code version}, {@code timeout},
 *       … — one of the application's, the consumer's ids); {@code on} adds the provider advice:
 *       a scope entered from the attachments and a {@code request.info} record.</li>
 * </ul>
 * Calls run inside a served request, invocations outside any (as on Dubbo's server threads).
 * Records go to the file writer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Drpctrace.log.dir=/tmp/rpctrace-bench", "-Drpctrace.service=bench"})
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class DubboCallsBenchmark {
    @Param({"off", "on"})
    public String tracing;

    private boolean on;
    private Span request;
    private Map<String, Object> received;

    @Setup(Level.Trial)
    public void setUp() {
        on = "on".equals(tracing);
        received = new HashMap<>();
        received.put("path", "com.acme.Greeter");   // what Dubbo 3.3's consumer sends besides ours
        received.put("remote.application", "shop");
        received.put("interface", "com.acme.Greeter");
        received.put("version", "0.0.0");
        received.put("timeout", 3000);
        received.put("dubbo", "2.0.2");
        received.put("input", 262);
        received.put("tenant", "acme");
        received.put("x-trace-id", "4bf92f3577b34da6a3ce929d0e0e4736");
        received.put("x-rpc-id", "0.5.2");
        received.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-3f1c2b4a5d6e7f80-01");
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
    public Map<String, Object> consumerCall() {
        Map<String, Object> attachments = new HashMap<>();
        attachments.put("tenant", "acme");
        if (on) {
            Span call = DubboCalls.call("com.acme.Greeter", "greet", "10.0.0.7:20880");
            String[] ids = DubboCalls.attachments(call);
            for (int i = 0; i < ids.length && ids[i] != null; i += 2) {
                attachments.put(ids[i], ids[i + 1]);
            }
            DubboCalls.end(call, null, -1);
        }
        return attachments;
    }

    @Benchmark
    public Object providerServe() {
        request.exitScope();   // Dubbo's server threads run outside any scope
        Object tenant = received.get("tenant");
        if (on) {
            Span s = DubboCalls.serve(received, "com.acme.Greeter", "greet");
            DubboCalls.served(s, null);
        }
        return tenant;
    }
}
