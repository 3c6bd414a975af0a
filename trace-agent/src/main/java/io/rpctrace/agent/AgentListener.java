package io.rpctrace.agent;

import io.rpctrace.instrumentation.api.LoadingClass;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's diagnostics: an instrumentation that cannot be applied is reported on stderr
 * once per module (never through the application's logging) and skipped; the class stays
 * as it was.
 */
final class AgentListener {
    private final Map<String, String> moduleOfType = new ConcurrentHashMap<>();
    private final Set<String> reported = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

    void matched(String typeName, String module) {
        moduleOfType.merge(typeName, module, (a, b) -> a.equals(b) || a.contains(b) ? a : a + "," + b);
    }

    void failed(String module, String typeName, Throwable t) {
        failures.incrementAndGet();
        if (reported.add(module)) {
            System.err.println("rpctrace: instrumentation " + module + " cannot be applied to " + typeName + " (" + t
                    + "); skipped there (rpctrace.instrumentation." + module + ".enabled=false turns it off)");
        }
    }

    /** Advice that could not be applied, counted for the rewrite cache (a failed rewrite is not kept). */
    private final AtomicLong failures = new AtomicLong();

    long failures() {
        return failures.get();
    }

    static final boolean DEBUG = Boolean.getBoolean("rpctrace.agent.debug");
    /** {@code -Drpctrace.agent.timing=true}: count what the transformer was offered and its CPU time (printed at exit). */
    static final boolean TIMING = Boolean.getBoolean("rpctrace.agent.timing");

    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong transformed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong cpuNanos = new AtomicLong();
    private final AtomicLong allocated = new AtomicLong();
    private final ThreadLocal<long[]> started = TIMING ? new ThreadLocal<long[]>() {
        @Override
        protected long[] initialValue() {
            return new long[2];
        }
    } : null;
    private final ThreadMXBean threads = TIMING ? ManagementFactory.getThreadMXBean() : null;

    /** A class is offered to the transformer. */
    void discovered() {
        if (TIMING) {
            offered.incrementAndGet();
            long[] at = started.get();
            at[0] = threads.getCurrentThreadCpuTime();
            at[1] = allocatedBytes();
        }
    }

    /** The class offered is left as it was (ignored by name and loader, or no module matches it). */
    void ignored() {
        if (TIMING) {
            ignored.incrementAndGet();
        }
    }

    /** One line: classes offered, ignored (by name, loader or no match), transformed, and the CPU time it took. */
    String timing() {
        return offered.get() + " classes offered to the transformer, " + ignored.get() + " left as they were, "
                + transformed.get() + " transformed, " + errors.get() + " failed; " + cpuNanos.get() / 1_000_000
                + " ms CPU and " + allocated.get() / (1024 * 1024) + " MB allocated in the transformer (matching and rewriting,"
                + " on the loading threads)";
    }

    /** Bytes this thread allocated so far (HotSpot's counter), or 0 where the JVM has none. */
    long allocatedBytes() {
        return threads instanceof com.sun.management.ThreadMXBean
                ? ((com.sun.management.ThreadMXBean) threads).getThreadAllocatedBytes(Thread.currentThread().getId()) : 0;
    }

    /** The class offered was rewritten. */
    void transformed(String typeName) {
        if (TIMING) {
            transformed.incrementAndGet();
        }
        if (DEBUG) {
            System.err.println("rpctrace: instrumented " + typeName + " (" + moduleOfType.get(typeName) + ")");
        }
    }

    /** The class could not be matched or rewritten (or retransformed); it stays as it was. */
    void error(String typeName, Throwable t) {
        if (TIMING) {
            errors.incrementAndGet();
        }
        if (DEBUG) {
            System.err.println("rpctrace: cannot instrument " + typeName);
            t.printStackTrace();
        }
        String modules = moduleOfType.get(typeName);
        failed(modules == null ? "(matching)" : modules, typeName, t);
    }

    /** The class offered is decided, whichever way. */
    void completed() {
        LoadingClass.exit();
        if (TIMING) {
            long[] at = started.get();
            cpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - at[0]);
            allocated.addAndGet(allocatedBytes() - at[1]);
        }
    }
}
