package io.rpctrace.bench;

import io.rpctrace.bench.cpu.ListenerCpu;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Checks {@link io.rpctrace.bench.cpu.ThreadCpuProfiler}'s figures against operations whose CPU
 * time is known: run with {@code -prof io.rpctrace.bench.cpu.ThreadCpuProfiler}.
 *
 * <ul>
 *   <li>{@code spin}: CPU only, no waiting: {@code cpu.app} is the wall time per operation
 *       (less than it when other processes take the core).</li>
 *   <li>{@code park}: a 50 µs sleep and the same spin: {@code cpu.app} stays the spin's while
 *       the wall time grows by the sleep.</li>
 *   <li>{@code handOff}: the spin on another thread (a {@link ListenerCpu}), the benchmark's
 *       thread waiting for it: {@code cpu.handoff} is the spin's, {@code cpu.app} the hand-off's.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ThreadCpuCheck {
    static final ListenerCpu HANDOFF = ListenerCpu.named("handoff");
    static final long TOKENS = 2_000;

    /** A thread that runs the spin handed to it. */
    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Other {
        ExecutorService thread;

        @Setup
        public void start() {
            thread = Executors.newSingleThreadExecutor();
        }

        @TearDown
        public void stop() {
            HANDOFF.freeze(); // before its thread ends
            thread.shutdownNow();
        }
    }

    /** CPU only. */
    @Benchmark
    public void spin() {
        Blackhole.consumeCPU(TOKENS);
    }

    /** A sleep of 50 µs (more: the timer's slack), then the spin. */
    @Benchmark
    public void park() {
        LockSupport.parkNanos(50_000);
        Blackhole.consumeCPU(TOKENS);
    }

    /** The spin on another thread, waited for. */
    @Benchmark
    public void handOff(Other other) throws Exception {
        other.thread.submit(() -> {
            HANDOFF.count();
            Blackhole.consumeCPU(TOKENS);
        }).get();
    }
}
