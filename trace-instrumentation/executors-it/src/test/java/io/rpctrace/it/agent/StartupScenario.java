package io.rpctrace.it.agent;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Child-JVM main: prints what a task and a new thread see inside a request. */
public final class StartupScenario {
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("attach")) {
            attach(args[1], args.length > 2 ? args[2] : "");
        }
        if (args.length > 0 && args[0].equals("wait")) {
            // until an operator loads the agent from outside (java -jar trace-agent.jar attach <pid>)
            System.out.println("pid=" + ProcessHandle.current().pid());
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (System.getProperty("rpctrace.agent.ready") == null && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        if (args.length > 0 && args[0].equals("await")) {
            // agent.startup=async: main runs while the agent installs; wait until it is done.
            System.out.println("main_before_ready=" + (System.getProperty("rpctrace.agent.ready") == null));
            io.rpctrace.testing.AgentRecords.awaitInstalled();
        }
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Span req = Trace.enter(null, null)) {
            System.out.println("task=" + pool.submit(Trace::rpcId).get());
            String[] seen = new String[1];
            Thread t = new Thread(() -> seen[0] = Trace.rpcId());
            t.start();
            t.join();
            System.out.println("thread=" + seen[0]);
        }
        pool.shutdown();
    }

    /** Loads the agent into this running JVM (agentmain), as an operator would with jcmd/attach. */
    private static void attach(String agentJar, String agentArgs) throws Exception {
        Class<?> vmClass = Class.forName("com.sun.tools.attach.VirtualMachine");
        Object vm = vmClass.getMethod("attach", String.class).invoke(null, String.valueOf(ProcessHandle.current().pid()));
        try {
            vmClass.getMethod("loadAgent", String.class, String.class).invoke(vm, agentJar, agentArgs);
        } finally {
            vmClass.getMethod("detach").invoke(vm);
        }
    }
}
