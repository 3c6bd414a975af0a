package io.rpctrace.bench;

import com.acme.bench.PriceRules;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
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
 * Issue 19: what the {@code methods} instrumentation adds to a traced no-op method
 * ({@link PriceRules#noop}), in the same JMH run: without the agent ({@link NoAgent}), with the
 * packaged agent and {@code methods.records=false} (metrics only, {@link MetricsOnly}), and with
 * a {@code method} record per call written to the file ({@link Records}). Run from the
 * repository root (the forks find {@code trace-agent/target/trace-agent.jar} there).
 *
 * <pre>
 * mvn -B -q -pl trace-agent,trace-benchmarks -am -DskipTests package
 * java -jar trace-benchmarks/target/benchmarks.jar MethodsAgentBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public abstract class MethodsAgentBenchmark {
    private static final String AGENT = "-javaagent:trace-agent/target/trace-agent.jar=log.dir=/tmp/rpctrace-bench-logs,"
            + "service=bench,methods=com.acme.bench.PriceRules";

    private final PriceRules rules = new PriceRules();
    private int x = 42;
    private Scope request;

    @Setup
    public void setUp() {
        request = Scope.enter("4bf92f3577b34da6a3ce929d0e0e4736", "0.3", false);
    }

    @TearDown
    public void tearDown() {
        CurrentScope.restore(null);
    }

    /** The traced method called inside a request's scope (its record, when written, nests there). */
    @Benchmark
    public int tracedNoopInRequest() {
        Scope previous = CurrentScope.set(request);
        try {
            return rules.noop(x);
        } finally {
            CurrentScope.restore(previous);
        }
    }

    /**
     * What timing a call cannot avoid: two reads of the clock. The metrics-only figure is this,
     * plus finding the method's site and updating its timer.
     */
    @Benchmark
    public long twoClockReads() {
        long t0 = System.nanoTime();
        return System.nanoTime() - t0;
    }

    /** The baseline: no agent. */
    @Fork(value = 1)
    public static class NoAgent extends MethodsAgentBenchmark {
    }

    /** The agent with {@code methods.records=false}: the method's timer only. */
    @Fork(value = 1, jvmArgsAppend = {AGENT + ",methods.records=false"})
    public static class MetricsOnly extends MethodsAgentBenchmark {
    }

    /** The agent writing a {@code method} record per call. */
    @Fork(value = 1, jvmArgsAppend = {AGENT})
    public static class Records extends MethodsAgentBenchmark {
    }
}
