package io.rpctrace.bench;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.TraceId;
import io.rpctrace.internal.concurrent.TaskScopes;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The helpers the executor advice calls, without bytecode or threads: what one task costs the
 * propagation logic itself (submission: child scope + association; run: lookup, set, clear).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class TaskScopesBenchmark {
    @Param({"false", "true"})
    public boolean inScope;

    @Setup(Level.Trial)
    public void enter() {
        CurrentScope.set(inScope ? io.rpctrace.context.Scope.enter(TraceId.generate(), null, false) : null);
    }

    @TearDown(Level.Trial)
    public void leave() {
        CurrentScope.set(null);
    }

    /** What the submitting thread and the worker do for one named task. */
    @Benchmark
    public void submitAndRun(Blackhole bh) {
        Runnable task = new Noop();
        TaskScopes.submit(task);
        io.rpctrace.context.Scope submitter = CurrentScope.set(null);  // now "on the worker"
        TaskScopes.replace(task);                                        // beforeExecute
        bh.consume(CurrentScope.get());
        TaskScopes.clear();                                              // getTask
        CurrentScope.set(submitter);
    }

    static final class Noop implements Runnable {
        @Override
        public void run() {
        }
    }
}
