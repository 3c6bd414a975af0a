package io.rpctrace.bench;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

/**
 * Issue 4: the cost the agent adds to {@code executor.execute(task)} (submission, hand-over
 * and the task's run on a one-thread pool), with and without the agent in the same JMH run:
 * {@link WithAgent} forks with {@code -javaagent:trace-agent/target/trace-agent.jar}
 * (run from the repository root), {@link NoAgent} without. {@code inScope=true} submits
 * from inside a request (the scope is propagated: one child scope per task);
 * {@code false} measures what everybody else pays.
 *
 * <pre>
 * mvn -B -q -pl trace-benchmarks -am -DskipTests package
 * java -jar trace-benchmarks/target/benchmarks.jar ExecutorPropagationBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@State(Scope.Thread)
public abstract class ExecutorPropagationBenchmark {
    private static final int BATCH = 1000;

    @Param({"false", "true"})
    public boolean inScope;

    private ThreadPoolExecutor pool;
    private ThreadPoolExecutor parked;
    private final java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
    private final AtomicInteger done = new AtomicInteger();
    private final Runnable named = new Task(done);
    private Span request;

    @Setup(Level.Trial)
    public void start() {
        pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        parked = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        parked.execute(() -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        if (inScope) {
            request = Trace.enter(null, null);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (request != null) {
            request.close();
        }
        pool.shutdown();
        gate.countDown();
        parked.shutdown();
    }

    /** A task object of a named class (associated with its scope, not wrapped). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void executeNamedTask() {
        done.set(0);
        for (int i = 0; i < BATCH; i++) {
            pool.execute(named);
        }
        awaitDone();
    }

    /**
     * Submission alone: the worker is parked on a gate, so {@code execute} only enqueues; the
     * queue is emptied after each batch (same cost with and without the agent). This isolates
     * the submitting thread's share from the hand-over, whose noise on a busy machine hides
     * a 100 ns difference in the end-to-end figures.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void submitOnlyNamedTask() {
        for (int i = 0; i < BATCH; i++) {
            parked.execute(named);
        }
        parked.getQueue().clear();
    }

    /** A capturing lambda per call (wrapped by the agent). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void executeLambda() {
        done.set(0);
        AtomicInteger d = done;
        for (int i = 0; i < BATCH; i++) {
            pool.execute(() -> d.incrementAndGet());
        }
        awaitDone();
    }

    private void awaitDone() {
        while (done.get() < BATCH) {
            Thread.onSpinWait();
        }
    }

    static final class Task implements Runnable {
        private final AtomicInteger done;

        Task(AtomicInteger done) {
            this.done = done;
        }

        @Override
        public void run() {
            done.incrementAndGet();
        }
    }

    /** The baseline: no agent. */
    @Fork(value = 1)
    public static class NoAgent extends ExecutorPropagationBenchmark {
    }

    /** The same code with the packaged agent attached. */
    @Fork(value = 1, jvmArgsAppend = {
            "-javaagent:trace-agent/target/trace-agent.jar=log.dir=/tmp/rpctrace-bench-logs,service=bench"})
    public static class WithAgent extends ExecutorPropagationBenchmark {
    }
}
