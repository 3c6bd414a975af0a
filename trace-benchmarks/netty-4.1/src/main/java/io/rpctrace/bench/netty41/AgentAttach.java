package io.rpctrace.bench.netty41;

import java.io.File;
import java.lang.management.ManagementFactory;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The packaged agent attached to the running fork at the start of iteration {@link #attachAt}
 * (warm-up iterations counted), as a user attaches it to a running JVM ({@code agentmain}):
 * the iterations before it are bare, those after it (once re-warmed) carry the agent, in one
 * JVM, with the same threads, the same broker or provider, the same heap. A fork of
 * {@code attachAt = 0} never attaches: the control for what the same iterations drift without
 * the agent. {@code attach-split.py} turns the JMH JSON of both into the added figure
 * (docs/benchmarks.md, "Same fork, agent attached halfway").
 *
 * <p>Nothing of trace-core may be loaded before the attach: the agent appends it to the
 * bootstrap class path, and a copy the application loader had already loaded would be a second
 * tracer that the agent's advice does not see ({@link AttachedRequest} enters its request
 * reflectively, and only once the agent is there).
 */
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class AgentAttach {
    /** The iteration (1-based, warm-up included) that starts with the agent attached; 0: never. */
    @Param({"36", "0"})
    public int attachAt;

    private int iteration;
    volatile boolean attached;

    @Setup(Level.Iteration)
    public void beforeIteration() throws Exception {
        iteration++;
        if (attachAt > 0 && iteration == attachAt && !attached) {
            String jar = new File(System.getProperty("bench.agent", "trace-agent/target/trace-agent.jar")).getAbsolutePath();
            String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
            // jdk.attach: a self-attach needs -Djdk.attach.allowAttachSelf=true (the forks' argument)
            Class<?> vmClass = Class.forName("com.sun.tools.attach.VirtualMachine");
            Object vm = vmClass.getMethod("attach", String.class).invoke(null, pid);
            try {
                vmClass.getMethod("loadAgent", String.class, String.class).invoke(vm, jar,
                        "log.dir=/tmp/rpctrace-bench,service=bench,dir.max.bytes=256m");
            } finally {
                vmClass.getMethod("detach").invoke(vm);
            }
            attached = true;
            System.out.println("# agent attached before iteration " + iteration);
        }
    }
}
