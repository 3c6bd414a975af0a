package io.rpctrace.bench;

import io.rpctrace.config.Config;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.Tracing;
import io.rpctrace.log4j2.TraceLog4j2;
import java.io.OutputStream;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.OutputStreamAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * trace-log4j2's cost (issue 11), latest Log4j2, root level INFO. The {@code _plain}
 * benchmarks run in forks without rpctrace's context-data provider
 * ({@link ThreadContextOnlyInjector}) on a context with the application's pattern appender
 * only; the {@code _rpctrace} ones add the debug filter and the Rpctrace appender
 * ({@code TraceLog4j2.install}) with the provider active. The application's appender formats
 * {@code %X{x_trace_id} %X{x_rpc_id}} into a null stream in both.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class Log4j2Benchmark {
    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger [%X{x_trace_id} %X{x_rpc_id}] %msg%n";
    private static final String BASELINE = "-Dlog4j2.ContextDataInjector=io.rpctrace.bench.ThreadContextOnlyInjector";

    @State(org.openjdk.jmh.annotations.Scope.Benchmark)
    public static class Loggers {
        Logger plain;
        Logger rpctrace;
        final Integer arg = 42;

        @Setup
        public void setUp() {
            Tracing.start(Config.of(Collections.<String, String>emptyMap()), new HandOffWriter());
            plain = context("plain", false).getLogger("com.acme.OrderService");
            rpctrace = context("rpctrace", true).getLogger("com.acme.OrderService");
        }

        private static LoggerContext context(String name, boolean withRpctrace) {
            ConfigurationBuilder<BuiltConfiguration> b = ConfigurationBuilderFactory.newConfigurationBuilder();
            b.setConfigurationName(name);
            b.setStatusLevel(Level.ERROR);
            b.add(b.newRootLogger(Level.INFO));
            LoggerContext ctx = new LoggerContext(name);
            ctx.start(b.build(false));
            Configuration c = ctx.getConfiguration();
            PatternLayout layout = PatternLayout.newBuilder().setPattern(PATTERN).setConfiguration(c).build();
            OutputStreamAppender app = OutputStreamAppender.newBuilder().setName("APP")
                    .setTarget(OutputStream.nullOutputStream()).setLayout(layout).build();
            app.start();
            c.addAppender(app);
            c.getRootLogger().addAppender(app, null, null);
            if (withRpctrace) {
                TraceLog4j2.install(ctx, true);
            }
            ctx.updateLoggers();
            return ctx;
        }
    }

    /** A plain (not debug) request's scope, current on the benchmark thread. */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class InTrace {
        Scope previous;

        @Setup
        public void enter() {
            previous = CurrentScope.set(Scope.enter("4bf92f3577b34da6a3ce929d0e0e4736", "0.3", false));
        }

        @TearDown
        public void exit() {
            CurrentScope.restore(previous);
        }
    }

    /** Disabled {@code logger.debug("x {}", arg)} outside any trace, without rpctrace. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = BASELINE)
    public void disabledDebugOutsideTrace_plain(Loggers l) {
        l.plain.debug("x {}", l.arg);
    }

    /** The same with the global debug filter installed. */
    @Benchmark
    public void disabledDebugOutsideTrace_rpctrace(Loggers l) {
        l.rpctrace.debug("x {}", l.arg);
    }

    /** Disabled {@code logger.debug} inside a plain (not debug) trace, without rpctrace. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = BASELINE)
    public void disabledDebugInPlainTrace_plain(Loggers l, InTrace t) {
        l.plain.debug("x {}", l.arg);
    }

    /** The same with the global debug filter installed. */
    @Benchmark
    public void disabledDebugInPlainTrace_rpctrace(Loggers l, InTrace t) {
        l.rpctrace.debug("x {}", l.arg);
    }

    /** An INFO event inside a trace, written by the application's appender only. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = BASELINE)
    public void infoInTrace_plain(Loggers l, InTrace t) {
        l.plain.info("order {} created", l.arg);
    }

    /** The same with correlation (context data) and capture (a log.info record). */
    @Benchmark
    public void infoInTrace_rpctrace(Loggers l, InTrace t) {
        l.rpctrace.info("order {} created", l.arg);
    }
}
