package io.rpctrace.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.rpctrace.config.Config;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.Tracing;
import io.rpctrace.logback.TraceAppender;
import io.rpctrace.logback.TraceTurboFilter;
import java.io.OutputStream;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
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
 * trace-logback's cost (issue 11), Logback 1.5, root level INFO. Two contexts in one JVM:
 * {@code plain} (the application's pattern appender only) and {@code rpctrace}
 * ({@link TraceTurboFilter} + {@link TraceAppender} added). The application's appender
 * formats {@code %X{x_trace_id} %X{x_rpc_id}} into a null stream in both.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LogbackBenchmark {
    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger [%X{x_trace_id} %X{x_rpc_id}] %msg%n";

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
            LoggerContext ctx = new LoggerContext();
            ctx.setName(name);
            ctx.setMDCAdapter(org.slf4j.MDC.getMDCAdapter()); // what the default context has (1.5)
            PatternLayoutEncoder enc = new PatternLayoutEncoder();
            enc.setContext(ctx);
            enc.setPattern(PATTERN);
            enc.start();
            OutputStreamAppender<ILoggingEvent> app = new OutputStreamAppender<>();
            app.setContext(ctx);
            app.setName("APP");
            app.setEncoder(enc);
            app.setOutputStream(OutputStream.nullOutputStream());
            app.start();
            Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.setLevel(Level.INFO);
            root.addAppender(app);
            if (withRpctrace) {
                TraceTurboFilter f = new TraceTurboFilter();
                f.setContext(ctx);
                f.start();
                ctx.addTurboFilter(f);
                TraceAppender a = new TraceAppender();
                a.setContext(ctx);
                a.start();
                root.addAppender(a);
            }
            ctx.start();
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

    /** A new request's scope on every call (the MDC values change each time). */
    @State(org.openjdk.jmh.annotations.Scope.Thread)
    public static class NewRequests {
        Scope previous;

        @Setup
        public void save() {
            previous = CurrentScope.get();
        }

        @TearDown
        public void restore() {
            CurrentScope.restore(previous);
        }
    }

    /** Disabled {@code logger.debug("x {}", arg)} outside any trace, without rpctrace. */
    @Benchmark
    public void disabledDebugOutsideTrace_plain(Loggers l) {
        l.plain.debug("x {}", l.arg);
    }

    /** The same with the turbo filter installed. */
    @Benchmark
    public void disabledDebugOutsideTrace_rpctrace(Loggers l) {
        l.rpctrace.debug("x {}", l.arg);
    }

    /** Disabled {@code logger.debug} inside a plain (not debug) trace, without rpctrace. */
    @Benchmark
    public void disabledDebugInPlainTrace_plain(Loggers l, InTrace t) {
        l.plain.debug("x {}", l.arg);
    }

    /** The same with the turbo filter installed. */
    @Benchmark
    public void disabledDebugInPlainTrace_rpctrace(Loggers l, InTrace t) {
        l.rpctrace.debug("x {}", l.arg);
    }

    /** An INFO event inside a trace, written by the application's appender only. */
    @Benchmark
    public void infoInTrace_plain(Loggers l, InTrace t) {
        l.plain.info("order {} created", l.arg);
    }

    /** The same with correlation (MDC) and capture (a log.info record). */
    @Benchmark
    public void infoInTrace_rpctrace(Loggers l, InTrace t) {
        l.rpctrace.info("order {} created", l.arg);
    }

    /** The first INFO event of a new request (enter + log), application appender only. */
    @Benchmark
    public void firstInfoOfARequest_plain(Loggers l, NewRequests r) {
        CurrentScope.set(Scope.enter("4bf92f3577b34da6a3ce929d0e0e4736", "0.3", false));
        l.plain.info("order {} created", l.arg);
    }

    /** The same with rpctrace: the MDC values are put for the new request. */
    @Benchmark
    public void firstInfoOfARequest_rpctrace(Loggers l, NewRequests r) {
        CurrentScope.set(Scope.enter("4bf92f3577b34da6a3ce929d0e0e4736", "0.3", false));
        l.rpctrace.info("order {} created", l.arg);
    }
}
