package io.rpctrace.bench;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * Issue 17: a Reactor Netty {@code HttpClient} call to a Reactor Netty {@code HttpServer} in the same
 * JVM over loopback, inside a request, with and without the agent in one run ({@link WithAgent}
 * forks with {@code -javaagent:trace-agent/target/trace-agent.jar}, run from the repository root).
 * With the agent one round trip is one {@code http.get} and one {@code request.info} (both written),
 * so the difference is the client's and the server's instrumentation together.
 *
 * <pre>
 * mvn -B -q -pl trace-agent,trace-benchmarks -am -DskipTests package
 * java -jar trace-benchmarks/target/benchmarks.jar ReactorNettyBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@State(Scope.Thread)
public abstract class ReactorNettyBenchmark {
    private DisposableServer server;
    private HttpClient client;
    private Span request;

    @Setup(Level.Trial)
    public void start() {
        // logback's default configuration logs Reactor Netty's per-request DEBUG lines to the console
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(r -> r.get("/hello", (req, res) -> res.sendString(Mono.just("hello")))).bindNow();
        client = HttpClient.create().baseUrl("http://127.0.0.1:" + server.port());
    }

    /** Per iteration: the agent's executors module clears a JMH worker's scope between iterations. */
    @Setup(Level.Iteration)
    public void enter() {
        request = Trace.enter(null, null);
    }

    @TearDown(Level.Iteration)
    public void exit() {
        request.close();
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.disposeNow();
    }

    @Benchmark
    public String roundTrip() {
        return client.get().uri("/hello").responseSingle((res, body) -> body.asString()).block(Duration.ofSeconds(10));
    }

    /** The baseline: no agent. */
    @Fork(value = 1)
    public static class NoAgent extends ReactorNettyBenchmark {
    }

    /** The same code with the packaged agent attached. */
    @Fork(value = 1, jvmArgsAppend = {
            "-javaagent:trace-agent/target/trace-agent.jar=log.dir=/tmp/rpctrace-bench-logs,service=bench"})
    public static class WithAgent extends ReactorNettyBenchmark {
    }
}
