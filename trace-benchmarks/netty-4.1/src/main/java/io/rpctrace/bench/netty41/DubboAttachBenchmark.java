package io.rpctrace.bench.netty41;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link DubboAgentBenchmark#call} with the agent attached halfway through one fork
 * ({@link AgentAttach}): bare iterations, then the packaged agent attached as to a running
 * service, then the same calls with it, against the control fork that never attaches. Fork to
 * fork, on two cores, the calling thread's CPU per call moves by several microseconds with where
 * the provider's and Netty's threads land; within one fork the bare and the traced iterations
 * share all of that. {@code attach-split.py} reads the JSON (docs/benchmarks.md, "Same fork,
 * agent attached halfway").
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 100, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
    "-Djdk.attach.allowAttachSelf=true"})
public class DubboAttachBenchmark {
    /** One synchronous call, in a served request once the agent is attached. */
    @Benchmark
    public String call(DubboAgentBenchmark.Dubbo d, AgentAttach attach, AttachedRequest r) {
        return d.echo.echo("order-42");
    }
}
