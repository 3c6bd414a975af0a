package io.rpctrace.bench.cpu;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per benchmark operation, by thread, next to JMH's wall time: {@code -prof
 * io.rpctrace.bench.cpu.ThreadCpuProfiler}. Per iteration, the CPU the threads used between
 * its start and its end ({@code ThreadMXBean.getThreadCpuTime}), divided by the operations JMH
 * counted; averaged over the iterations with an error like the primary figure's.
 *
 * <ul>
 *   <li>{@code cpu.app}: the benchmark's own threads (JMH's workers): the application thread
 *       of a call, a publish, a send or a get.</li>
 *   <li>{@code cpu.writer}: rpctrace's writer thread ({@code rpctrace-writer-*}), which encodes
 *       and writes the records the application threads hand it.</li>
 *   <li>{@code cpu.process}: the whole process (every thread, GC and JIT included).</li>
 *   <li>{@code cpu.<label>} of each {@link ListenerCpu}: the threads that ran an application's
 *       listener, per message it counted (not per operation).</li>
 * </ul>
 *
 * <p>Design note: a thread's CPU time does not grow while it waits (for a broker, a server, a
 * lock) nor while the other benchmark JVMs and builds on the machine hold the core, so it
 * resolves a microsecond added to an operation whose wall time is a loopback round trip of
 * hundreds of microseconds that swings by more than that. Iteration set-up and tear-down on the
 * worker fall inside the window (a few microseconds against thousands of operations).
 */
public final class ThreadCpuProfiler implements InternalProfiler {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final String WORKER = "-jmh-worker-";
    private static final String WRITER = "rpctrace-writer-";

    private Map<Long, Long> appStart = new HashMap<>();
    private Map<Long, Long> writerStart = new HashMap<>();
    private long processStart;

    /** Checks the JVM measures thread CPU time (JMH makes the profiler in the host and in each fork). */
    public ThreadCpuProfiler() {
        if (!THREADS.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM does not measure thread CPU time");
        }
        THREADS.setThreadCpuTimeEnabled(true);
    }

    @Override
    public String getDescription() {
        return "CPU time per operation of the benchmark's threads, rpctrace's writer, the process and registered listeners";
    }

    @Override
    public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
        appStart = cpuOfThreadsNamed(WORKER);
        writerStart = cpuOfThreadsNamed(WRITER);
        processStart = processCpu();
        for (ListenerCpu listener : ListenerCpu.registered()) {
            listener.begin();
        }
    }

    @Override
    public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
                                                       IterationResult result) {
        double ops = result.getMetadata().getMeasuredOps();
        List<Result> out = new ArrayList<>();
        if (ops <= 0) {
            return out;
        }
        out.add(perOp("cpu.app", since(appStart, cpuOfThreadsNamed(WORKER)), ops));
        out.add(perOp("cpu.writer", since(writerStart, cpuOfThreadsNamed(WRITER)), ops));
        out.add(perOp("cpu.process", processCpu() - processStart, ops));
        for (ListenerCpu listener : ListenerCpu.registered()) {
            listener.end();
            if (listener.messages() > 0) {
                out.add(new ScalarResult("cpu." + listener.label(), (double) listener.cpuNanos() / listener.messages(),
                        "ns/msg", AggregationPolicy.AVG));
            }
        }
        return out;
    }

    private static ScalarResult perOp(String label, long cpuNanos, double ops) {
        return new ScalarResult(label, cpuNanos / ops, "ns/op", AggregationPolicy.AVG);
    }

    /** CPU time of the live threads whose name contains {@code part}, by thread id. */
    private static Map<Long, Long> cpuOfThreadsNamed(String part) {
        Map<Long, Long> cpu = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().contains(part)) {
                long t = THREADS.getThreadCpuTime(info.getThreadId());
                if (t >= 0) {
                    cpu.put(info.getThreadId(), t);
                }
            }
        }
        return cpu;
    }

    /** What the threads used since {@code start}: a thread born in the window counts from zero. */
    private static long since(Map<Long, Long> start, Map<Long, Long> end) {
        long sum = 0;
        for (Map.Entry<Long, Long> e : end.entrySet()) {
            sum += e.getValue() - start.getOrDefault(e.getKey(), 0L);
        }
        return sum;
    }

    private static long processCpu() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : 0;
    }
}
