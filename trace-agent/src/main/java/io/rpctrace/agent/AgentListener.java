package io.rpctrace.agent;

import io.rpctrace.instrumentation.api.LoadingClass;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * The agent's diagnostics: an instrumentation that cannot be applied is reported on stderr
 * once per module (never through the application's logging) and skipped; the class stays
 * as it was.
 */
final class AgentListener extends AgentBuilder.Listener.Adapter {
    private final Map<String, String> moduleOfType = new ConcurrentHashMap<>();
    private final Set<String> reported = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

    void matched(String typeName, String module) {
        moduleOfType.merge(typeName, module, (a, b) -> a.equals(b) || a.contains(b) ? a : a + "," + b);
    }

    void failed(String module, String typeName, Throwable t) {
        if (reported.add(module)) {
            System.err.println("rpctrace: instrumentation " + module + " cannot be applied to " + typeName + " (" + t
                    + "); skipped there (rpctrace.instrumentation." + module + ".enabled=false turns it off)");
        }
    }

    private static final boolean DEBUG = Boolean.getBoolean("rpctrace.agent.debug");
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

    @Override
    public void onDiscovery(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded) {
        if (TIMING) {
            offered.incrementAndGet();
            long[] at = started.get();
            at[0] = threads.getCurrentThreadCpuTime();
            at[1] = allocatedBytes();
        }
    }

    @Override
    public void onIgnored(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded) {
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

    @Override
    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded,
                                 DynamicType dynamicType) {
        if (TIMING) {
            transformed.incrementAndGet();
        }
        if (DEBUG) {
            System.err.println("rpctrace: instrumented " + type.getName() + " (" + moduleOfType.get(type.getName()) + ")");
        }
    }

    @Override
    public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable t) {
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

    @Override
    public void onComplete(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded) {
        LoadingClass.exit();
        if (TIMING) {
            long[] at = started.get();
            cpuNanos.addAndGet(threads.getCurrentThreadCpuTime() - at[0]);
            allocated.addAndGet(allocatedBytes() - at[1]);
        }
    }

    AgentBuilder.RedefinitionStrategy.Listener redefinitionListener() {
        return new AgentBuilder.RedefinitionStrategy.Listener.Adapter() {
            @Override
            public void onComplete(int amount, List<Class<?>> types, Map<List<Class<?>>, Throwable> failures) {
                for (Map.Entry<List<Class<?>>, Throwable> f : failures.entrySet()) {
                    for (Class<?> c : f.getKey()) {
                        AgentListener.this.onError(c.getName(), c.getClassLoader(), null, true, f.getValue());
                    }
                }
            }
        };
    }
}
