package io.rpctrace.instrumentation.log4j2;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.HelperClasses;
import java.util.Arrays;
import java.util.List;

/**
 * Module {@code log4j2}: the three features of docs/logging.md for an application that logs through
 * Log4j2 (its API, or SLF4J bound to it), with no change to its code or {@code log4j2.xml}.
 *
 * <ul>
 *   <li>correlation: the injector {@code ContextDataInjectorFactory.createInjector()} returns
 *       is wrapped, so each event's context data carries {@code x_trace_id}/{@code x_rpc_id}
 *       ({@link InjectorFactoryInstrumentation});</li>
 *   <li>per-request debug and capture: trace-log4j2's global filter and appender, added to
 *       every configuration a {@code LoggerContext} switches to: start, reconfiguration,
 *       {@code monitorInterval}, Spring Boot ({@link LoggerContextInstrumentation}). A
 *       configuration that names them already is left as it is;</li>
 *   <li>in a debug scope, the debug secret masked in the events' text ({@link LoggerInstrumentation}).</li>
 * </ul>
 */
public final class Log4j2Module extends InstrumentationModule {
    static final String HOOKS = "io.rpctrace.log4j2.AgentHooks";

    public Log4j2Module() {
        super("log4j2");
        HelperClasses.register(Log4j2Module.class.getClassLoader(), "io.rpctrace.log4j2.");
    }

    @Override
    public List<String> landmarkClasses() {
        return Arrays.asList(
                "org.apache.logging.log4j.core.impl.ContextDataInjectorFactory",   // added in 2.7
                "org.apache.logging.log4j.core.util.ContextDataProvider");         // added in 2.13.2; tested from 2.17
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new InjectorFactoryInstrumentation(), new LoggerContextInstrumentation(),
                new LoggerInstrumentation());
    }
}
