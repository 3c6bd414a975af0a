package io.rpctrace.agent;

import java.io.File;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;

/**
 * {@code java -jar trace-agent.jar attach <pid> [key=value,...]}: loads this agent into a running
 * JVM (its {@code agentmain}), as {@code -javaagent} would have at start-up, without a restart.
 * Without a pid it lists the JVMs this user can attach to. The target prints the agent's start-up
 * line (or why it did not start) on its own stderr; here a line says what was done.
 *
 * <p>Design note: the JDK's attach API ({@code com.sun.tools.attach}, module {@code jdk.attach})
 * is reached reflectively: the agent is compiled for Java 8, where it lives in {@code tools.jar},
 * and a JRE without it gets a clear message instead of a {@code NoClassDefFoundError}.
 */
final class AttachCommand {
    private static final String VM = "com.sun.tools.attach.VirtualMachine";

    private AttachCommand() {
    }

    /** {@code args}: the pid and, optionally, the agent arguments. Returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Class<?> vmClass;
        try {
            vmClass = Class.forName(VM);
        } catch (ClassNotFoundException | LinkageError e) {
            err.println("rpctrace: this Java has no attach API (module jdk.attach); run the command with a JDK's java");
            return 2;
        }
        try {
            if (args.length == 0) {
                out.println("JVMs this user can attach to (pid and main class):");
                String self = java.lang.management.ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
                for (Object d : (List<?>) vmClass.getMethod("list").invoke(null)) {
                    Class<?> descriptor = d.getClass();
                    Object id = descriptor.getMethod("id").invoke(d);
                    if (!self.equals(id)) {   // not this command's own JVM
                        out.println("  " + id + "  " + descriptor.getMethod("displayName").invoke(d));
                    }
                }
                out.println("attach to one: java -jar trace-agent.jar attach <pid> [service=...,log.dir=...]");
                return 0;
            }
            String pid = args[0];
            if (!pid.matches("[0-9]{1,10}")) {
                err.println("rpctrace: attach needs a process id, not '" + pid + "'");
                return 2;
            }
            String agentArgs = args.length > 1 ? args[1] : "";
            String jar = new File(RpcTraceAgent.agentJar().toURI()).getAbsolutePath();
            Object vm = vmClass.getMethod("attach", String.class).invoke(null, pid);
            try {
                Method load = vmClass.getMethod("loadAgent", String.class, String.class);
                load.invoke(vm, jar, agentArgs);
            } finally {
                vmClass.getMethod("detach").invoke(vm);
            }
            out.println("rpctrace: agent loaded into JVM " + pid + (agentArgs.isEmpty() ? "" : " with " + agentArgs)
                    + "; its start-up line is on that JVM's stderr");
            return 0;
        } catch (InvocationTargetException e) {
            err.println("rpctrace: could not attach to JVM " + (args.length > 0 ? args[0] : "") + ": " + e.getCause()
                    + " (same user as the target? started with -XX:+DisableAttachMechanism?)");
            return 1;
        } catch (Exception e) {
            err.println("rpctrace: could not attach: " + e);
            return 1;
        }
    }
}
