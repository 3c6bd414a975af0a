package io.rpctrace.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.jar.JarFile;

/**
 * The agent's entry points: {@code -javaagent:trace-agent.jar[=key=value,...]} (premain) and
 * attaching to a running JVM (agentmain).
 *
 * <p>Design note: this class is loaded by the system class loader (the JVM put the jar on the
 * class path) and must not touch trace-core or anything else of the agent: premain appends
 * the jar, which carries trace-core's classes at its top level, to the bootstrap class path
 * first, then loads {@code AgentInstaller} from there, so that every class loader of the
 * application and the instrumented JDK classes reach one copy (docs/RATIONALE.md, "The
 * agent: trace-core and the agent on the boot class path").
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

    /** This jar (also when the JVM put it on the boot class path, where there is no code source). */
    static URL agentJar() throws Exception {
        java.security.CodeSource cs = RpcTraceAgent.class.getProtectionDomain().getCodeSource();
        if (cs != null && cs.getLocation() != null) {
            return cs.getLocation();
        }
        String self = RpcTraceAgent.class.getName().replace('.', '/') + ".class";
        URL url = ClassLoader.getSystemResource(self);
        String s = url.toString();              // jar:file:/path/trace-agent.jar!/io/rpctrace/...
        return new URL(s.substring("jar:".length(), s.indexOf("!/")));
    }

    private static synchronized void start(String args, Instrumentation inst, String how) {
        // Once per JVM, even if the jar is given twice or attached after -javaagent.
        if (System.getProperty(INSTALLED) != null) {
            System.err.println("rpctrace: agent already running in this JVM; " + how + " ignored");
            return;
        }
        try {
            System.setProperty(INSTALLED, how);
            // One append, so the JVM prints its CDS warning once: trace-core (instrumented JDK
            // classes and every class loader must share one scope and one tracer) and the agent's
            // own classes (relocated Byte Buddy, the SPI, the modules) are loaded from the boot
            // class path: an application whose class path holds another copy of any of them
            // cannot shadow them, and boot classes load markedly faster (no verification, no
            // Java-level class loader): docs/RATIONALE.md.
            File jar = new File(agentJar().toURI());
            inst.appendToBootstrapClassLoaderSearch(new JarFile(jar));
            Class<?> installer = Class.forName("io.rpctrace.agent.AgentInstaller", true, null);
            Method install = installer.getDeclaredMethod("install", String.class, Instrumentation.class, File.class);
            install.setAccessible(true);
            try {
                install.invoke(null, args, inst, jar);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        } catch (Throwable t) {
            // Never keep the application from starting.
            System.err.println("rpctrace: agent failed to start (" + t + "); the application runs without tracing");
        }
    }
}
