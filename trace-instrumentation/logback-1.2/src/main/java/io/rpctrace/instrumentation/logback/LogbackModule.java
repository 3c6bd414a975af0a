package io.rpctrace.instrumentation.logback;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.HelperClasses;
import java.util.Arrays;
import java.util.List;

/**
 * Module {@code logback}: the three features of docs/logging.md for an application that logs through
 * Logback, with no change to its code or {@code logback.xml}.
 *
 * <ul>
 *   <li>correlation: {@code LoggingEvent.getMDCPropertyMap()} returns the event's MDC plus
 *       {@code x_trace_id}/{@code x_rpc_id} of the scope current when the event is
 *       appended ({@link LoggingEventInstrumentation});</li>
 *   <li>per-request debug and capture: trace-logback's {@code TraceTurboFilter} and
 *       {@code TraceAppender}, installed in every {@code LoggerContext} when it is made and
 *       again after each {@code reset()} ({@link LoggerContextInstrumentation});</li>
 *   <li>never twice: when the application's configuration adds its own filter or appender
 *       of those classes, the agent's are removed ({@link LoggerContextInstrumentation},
 *       {@link LoggerInstrumentation}).</li>
 * </ul>
 */
public final class LogbackModule extends InstrumentationModule {
    static final String INSTALLER = "io.rpctrace.logback.AgentInstaller";
    static final String FILTER_CLASS = "io.rpctrace.logback.TraceTurboFilter";
    static final String APPENDER_CLASS = "io.rpctrace.logback.TraceAppender";

    public LogbackModule() {
        super("logback");
        HelperClasses.register(LogbackModule.class.getClassLoader(), "io.rpctrace.logback.");
    }

    @Override
    public List<String> landmarkClasses() {
        return Arrays.asList(
                "ch.qos.logback.classic.LoggerContext",
                // the turbo filter base and context listeners: Logback 0.9+, tested from 1.2
                "ch.qos.logback.classic.turbo.TurboFilter",
                "ch.qos.logback.classic.spi.LoggerContextListener");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new LoggingEventInstrumentation(),
                new LoggerContextInstrumentation(), new LoggerInstrumentation());
    }
}
