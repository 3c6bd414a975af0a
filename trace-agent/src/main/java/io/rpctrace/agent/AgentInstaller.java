package io.rpctrace.agent;

import io.rpctrace.config.Config;
import io.rpctrace.config.ConfigKeys;
import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.AdviceErrors;
import io.rpctrace.internal.Tracing;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Starts the tracer and installs the enabled instrumentation modules. Loaded from the boot
 * class path, after {@link RpcTraceAgent} appended the agent jar (and with it trace-core) to it.
 */
final class AgentInstaller {
    /**
     * System properties our relocated Byte Buddy reads, set to {@code true} unless the user set
     * them. The shade plugin relocates these names with the package, so an application's own
     * Byte Buddy is not affected (docs/RATIONALE.md, "Start-up: Byte Buddy's fixed cost").
     * <ul>
     *   <li>{@code safe}: no class injection, so no {@code sun.misc.Unsafe}, which JDK 24+ warns
     *       about on stderr;</li>
     *   <li>{@code nexus.disabled}: no Nexus for loaded type initializers (which
     *       {@code disableClassFormatChanges()} rules out), set up by {@code AgentBuilder.Default}'s
     *       constructor before our settings replace it: about 45 classes.</li>
     * </ul>
     * Not {@code generate} (dispatchers to newer JDK APIs as generated classes instead of
     * {@code java.lang.reflect.Proxy}): cheaper to start, but its dispatcher for
     * {@code ClassDesc.ofDescriptor} fails verification, so a class another agent gave an
     * invokedynamic (OpenTelemetry's {@code HttpURLConnection}) could not be instrumented.
     */
    private static final String[] BYTE_BUDDY_SETTINGS = {
        "net.bytebuddy.safe", "net.bytebuddy.nexus.disabled",
    };
    /** {@code sync} (default): instrument before main; {@code async}: in the background. */
    static final String STARTUP = "agent.startup";
    /** Set once the instrumentation is installed (the test harness waits for it). */
    static final String READY = "rpctrace.agent.ready";

    private AgentInstaller() {
    }

    static void install(String args, Instrumentation inst, File agentJar) throws Exception {
        long started = System.nanoTime();
        for (String setting : BYTE_BUDDY_SETTINGS) {
            if (System.getProperty(setting) == null) {
                System.setProperty(setting, "true");
            }
        }
        final Config config = Config.load(args);
        final Tracing tracing = Tracing.start(config, null);
        final long tracingMs = (System.nanoTime() - started) / 1_000_000;
        String startup = config.get(STARTUP, "sync");
        if ("async".equalsIgnoreCase(startup)) {
            // The tracer (and so the manual API) is up now; the instrumentation follows on a
            // background thread while main runs. Classes loaded meanwhile are retransformed by
            // the installation; tasks handed over before it completes run without a scope.
            Thread installer = new Thread(() -> {
                try {
                    instrument(inst, agentJar, config, tracing, started, tracingMs);
                } catch (Throwable t) {
                    System.err.println("rpctrace: agent failed to install its instrumentation (" + t
                            + "); the application runs without it");
                }
            }, "rpctrace-install");
            installer.setDaemon(true);
            installer.start();
            return;
        }
        if (!"sync".equalsIgnoreCase(startup)) {
            config.report(STARTUP, startup, "is not sync or async", "sync");
        }
        instrument(inst, agentJar, config, tracing, started, tracingMs);
    }

    private static void instrument(Instrumentation inst, File agentJar, Config config, Tracing tracing,
                                   long started, long tracingMs) throws Exception {
        io.rpctrace.internal.HelperClasses.agentJar(agentJar);
        ModuleLoader.Result modules = ModuleLoader.load(config, agentJar);

        Advice.ExceptionHandler countErrors = new Advice.ExceptionHandler.Simple(MethodInvocation.invoke(
                new MethodDescription.ForLoadedMethod(AdviceErrors.class.getMethod("record", Throwable.class))));
        AgentListener listener = new AgentListener();
        // Advice refers to trace-core types and the modules' helpers; read them straight from the
        // agent jar rather than through a class loader's resource lookup of the bootstrap search path.
        ClassFileLocator agent = ClassFileLocator.ForJarFile.of(agentJar);
        // Supertypes described once per class loader, not once per class that names them (TypePoolCache);
        // classes decided by name before any class file is parsed (IgnoredTypes, docs/RATIONALE.md, "Start-up").
        // Rewrites kept from an earlier start of the same application and agent (RewriteCache).
        RewriteCache cache = RewriteCache.open(config, agentJar);
        AgentTransformer transformer = new AgentTransformer(new TypePoolCache(), listener, cache);
        for (InstrumentationModule module : modules.enabled()) {
            ElementMatcher<ClassLoader> inRange = new Landmarks(module);
            int position = 0;
            for (TypeInstrumentation type : module.typeInstrumentations()) {
                transformer.add(module.name() + "#" + position++, module.name(),
                        new TypeThenLandmarks(type.typeMatcher(), inRange, AdvisedMethods.of(type)),
                        new ModuleTransformer(module, type, countErrors, listener, agent));
            }
        }
        long built = System.nanoTime();
        // Retransformation, reiterated: JDK classes loaded before premain are rewritten too.
        transformer.installOn(inst);
        if (AgentListener.TIMING) {
            Thread report = new Thread(() -> System.err.println("rpctrace: start-up: " + listener.timing()
                    + (cache == null ? "; no rewrite cache" : "; rewrite cache " + cache.directory() + ": " + cache.hits()
                    + " rewrites reused, " + cache.stored() + " kept")), "rpctrace-timing");
            Runtime.getRuntime().addShutdownHook(report);
        }
        if (AgentListener.TIMING) {
            System.err.println("rpctrace: start-up: Byte Buddy set-up " + (built - started) / 1_000_000
                    + " ms since premain, installation (retransformation) " + (System.nanoTime() - built) / 1_000_000 + " ms");
        }

        long ms = (System.nanoTime() - started) / 1_000_000;
        if (AgentListener.TIMING) {
            // CPU of this thread since the JVM started: premain's share of the application's start.
            long cpuMs = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1_000_000;
            System.err.println("rpctrace: start-up: tracer " + tracingMs + " ms, instrumentation " + (ms - tracingMs)
                    + " ms; " + cpuMs + " ms CPU and " + listener.allocatedBytes() / (1024 * 1024)
                    + " MB allocated on this thread since the JVM started");
        }
        System.err.println("rpctrace: agent " + version() + " started in " + ms + " ms; config from "
                + config.describeSources() + "; records to " + config.get(ConfigKeys.LOG_DIR, "./logs") + "/"
                + tracing.service().name() + ".trace.log; instrumentations: " + names(modules.enabled())
                + (modules.disabled().isEmpty() ? "" : "; disabled: " + names(modules.disabled())));
        System.setProperty(READY, "true");
    }

    static String version() {
        String v = AgentInstaller.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    private static String names(List<InstrumentationModule> modules) {
        if (modules.isEmpty()) {
            return "none";
        }
        StringBuilder sb = new StringBuilder();
        for (InstrumentationModule m : modules) {
            sb.append(sb.length() == 0 ? "" : ", ").append(m.name());
        }
        return sb.toString();
    }
}
