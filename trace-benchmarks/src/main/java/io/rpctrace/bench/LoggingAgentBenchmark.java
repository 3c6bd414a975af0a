package io.rpctrace.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import java.io.OutputStream;
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
import org.slf4j.LoggerFactory;

/**
 * Issue 11, the agent half: what the agent's Logback module adds to an application that names
 * nothing of rpctrace in its logging, with and without the agent in the same JMH run
 * ({@link WithAgent} forks with {@code -javaagent:trace-agent/target/trace-agent.jar}, run
 * from the repository root; {@link NoAgent} without). The application's default
 * {@code LoggerContext} is reset and configured in code (Logback 1.5, root INFO, a pattern
 * with {@code %X{x_trace_id} %X{x_rpc_id}} into a null stream); with the agent that reset
 * installs the turbo filter and the appender, and records go to the agent's real writer.
 *
 * <pre>
 * mvn -B -q -pl trace-agent,trace-benchmarks -am -DskipTests package
 * java -jar trace-benchmarks/target/benchmarks.jar LoggingAgentBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public abstract class LoggingAgentBenchmark {
    private static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger [%X{x_trace_id} %X{x_rpc_id}] %msg%n";
    private final Integer arg = 42;
    private org.slf4j.Logger log;
    private Scope request;
    private Scope previous;

    @Setup
    public void setUp() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();   // what a re-configuration does; with the agent, rpctrace is installed again
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
        log = LoggerFactory.getLogger("com.acme.OrderService");
        request = Scope.enter("4bf92f3577b34da6a3ce929d0e0e4736", "0.3", false);
    }

    @TearDown
    public void tearDown() {
        CurrentScope.restore(null);
    }

    /** A disabled {@code logger.debug("x {}", arg)} outside any trace. */
    @Benchmark
    public void disabledDebugOutsideTrace() {
        log.debug("x {}", arg);
    }

    /** An INFO event inside a (plain) trace: correlation and a log.info record with the agent. */
    @Benchmark
    public void infoInTrace() {
        previous = CurrentScope.set(request);
        log.info("order {} created", arg);
        CurrentScope.restore(previous);
    }

    /** A request's scope made current and left, logging nothing. */
    @Benchmark
    public Scope scopeEnterExitNoLogging() {
        previous = CurrentScope.set(request);
        CurrentScope.restore(previous);
        return previous;
    }

    /** The baseline: no agent. */
    @Fork(value = 1)
    public static class NoAgent extends LoggingAgentBenchmark {
    }

    /** The same code with the packaged agent attached. */
    @Fork(value = 1, jvmArgsAppend = {
            "-javaagent:trace-agent/target/trace-agent.jar=log.dir=/tmp/rpctrace-bench-logs,service=bench"})
    public static class WithAgent extends LoggingAgentBenchmark {
    }
}
