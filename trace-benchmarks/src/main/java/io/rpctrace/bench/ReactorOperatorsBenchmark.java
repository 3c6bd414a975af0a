package io.rpctrace.bench;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Issue 17: what the reactor module adds per operator, with and without the agent in the same
 * JMH run ({@link WithAgent} forks with {@code -javaagent:trace-agent/target/trace-agent.jar}, run
 * from the repository root; {@link NoAgent} without). {@code inScope=true} runs the chain inside a
 * request, so each boundary's subscriber is wrapped; {@code false} is what chains outside
 * requests pay.
 *
 * <ul>
 *   <li>{@code monoChain}: a {@code Mono} of {@value #OPERATORS} {@code map}s assembled, subscribed
 *       and completed, as a request handler does per request: the figure is per operator
 *       (assembly, one wrapper and its context, two signals).</li>
 *   <li>{@code mixedChain}: {@value #MIXED} operators of as many classes (map, filter, flatMap,
 *       switchIfEmpty, onErrorResume, doOnNext, handle, flux, take, next…) assembled, subscribed
 *       and completed: per operator, with the operators' classes megamorphic as in a WebFlux
 *       request rather than one class.</li>
 *   <li>{@code fluxSignals}: {@value #ELEMENTS} elements through {@value #OPERATORS} {@code map}s:
 *       per element and operator (one signal through a wrapper).</li>
 * </ul>
 *
 * <pre>
 * mvn -B -q -pl trace-agent,trace-benchmarks -am -DskipTests package
 * java -jar trace-benchmarks/target/benchmarks.jar ReactorOperatorsBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@State(Scope.Thread)
public abstract class ReactorOperatorsBenchmark {
    static final int OPERATORS = 10;
    static final int ELEMENTS = 100;

    @Param({"false", "true"})
    public boolean inScope;

    private Span request;
    private Consumer<Object> sink;

    /**
     * Per iteration, not per trial: JMH runs each iteration as a task of its own thread pool, and
     * the agent's executors module clears a pool worker's scope between tasks.
     */
    @Setup(Level.Iteration)
    public void start(Blackhole bh) {
        sink = bh::consume;
        if (inScope) {
            request = Trace.enter(null, null);
        }
    }

    @TearDown(Level.Iteration)
    public void stop() {
        if (request != null) {
            request.close();
            request = null;
        }
    }

    @Benchmark
    @OperationsPerInvocation(OPERATORS)
    public void monoChain() {
        Mono<Integer> m = Mono.just(1);
        for (int i = 0; i < OPERATORS; i++) {
            m = m.map(x -> x + 1);
        }
        m.subscribe(sink);
    }

    static final int MIXED = 16;

    @Benchmark
    @OperationsPerInvocation(MIXED)
    public void mixedChain() {
        Mono.just(1)
                .map(x -> x + 1)
                .filter(x -> x > 0)
                .doOnNext(x -> { })
                .flatMap(Mono::just)
                .switchIfEmpty(Mono.just(0))
                .defaultIfEmpty(0)
                .onErrorResume(e -> Mono.just(0))
                .handle((x, s) -> s.next(x))
                .doOnSuccess(x -> { })
                .hide()
                .flux()
                .map(x -> x)
                .filter(x -> true)
                .take(1)
                .doOnComplete(() -> { })
                .next()
                .subscribe(sink);
    }

    private Flux<Integer> assembled;

    @Setup(Level.Trial)
    public void assemble() {
        Flux<Integer> f = Flux.range(0, ELEMENTS).hide();
        for (int i = 0; i < OPERATORS; i++) {
            f = f.map(x -> x + 1).hide();
        }
        assembled = f;
    }

    @Benchmark
    @OperationsPerInvocation(OPERATORS * ELEMENTS)
    public void fluxSignals() {
        assembled.subscribe(sink);
    }

    /** The baseline: no agent. */
    @Fork(value = 1)
    public static class NoAgent extends ReactorOperatorsBenchmark {
    }

    /** The same code with the packaged agent attached. */
    @Fork(value = 1, jvmArgsAppend = {
            "-javaagent:trace-agent/target/trace-agent.jar=log.dir=/tmp/rpctrace-bench-logs,service=bench"})
    public static class WithAgent extends ReactorOperatorsBenchmark {
    }
}
