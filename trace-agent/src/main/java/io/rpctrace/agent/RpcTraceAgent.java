package io.rpctrace.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * The agent's entry points: {@code -javaagent:trace-agent.jar[=key=value,...]} (premain) and
 * attaching to a running JVM (agentmain).
 *
 * <p>Design note: this class must not touch trace-core. trace-core travels inside the jar
 * and only becomes loadable once {@link BootstrapJar} has appended it to the bootstrap class
 * path; {@code AgentInstaller}, which uses it, is loaded after that, in the agent's own class
 * loader.
 */
public final class RpcTraceAgent {
    private static final String INSTALLED = "rpctrace.agent.installed";

    private RpcTraceAgent() {
    }

    /** {@code -javaagent} entry point. */
    public static void premain(String args, Instrumentation inst) {
        start(args, inst, "premain");
    }

    /** Attach entry point ({@code VirtualMachine.loadAgent}). */
    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, "agentmain");
    }

    private static synchronized void start(String args, Instrumentation inst, String how) {
        // Once per JVM, even if the jar is given twice or attached after -javaagent.
        if (System.getProperty(INSTALLED) != null) {
            System.err.println("rpctrace: agent already running in this JVM; " + how + " ignored");
            return;
        }
        try {
            System.setProperty(INSTALLED, how);
            BootstrapJar.append(inst);
            // The agent's own classes (Byte Buddy, the SPI, the modules) are loaded by a loader
            // of their own that sees this jar and the JDK only: an application whose class path
            // holds another copy of any of them (even the SPI itself) cannot shadow them.
            URL jar = RpcTraceAgent.class.getProtectionDomain().getCodeSource().getLocation();
            ClassLoader agentLoader = new URLClassLoader(new URL[] {jar}, ClassLoader.getSystemClassLoader().getParent());
            Class<?> installer = Class.forName("io.rpctrace.agent.AgentInstaller", true, agentLoader);
            Method install = installer.getDeclaredMethod("install", String.class, Instrumentation.class, File.class);
            install.setAccessible(true);
            try {
                install.invoke(null, args, inst, BootstrapJar.appended());
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        } catch (Throwable t) {
            // Never keep the application from starting.
            System.err.println("rpctrace: agent failed to start (" + t + "); the application runs without tracing");
        }
    }
}
