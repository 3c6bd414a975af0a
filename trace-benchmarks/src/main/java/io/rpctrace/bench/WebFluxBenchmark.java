package io.rpctrace.bench;

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
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Issue 17: a WebClient call, inside a request, to a Spring WebFlux annotated controller with a path
 * variable ({@code DispatcherHandler} on Reactor Netty, no Spring Boot) in the same JVM over loopback,
 * with and without the agent in one run ({@link WithAgent} forks with
 * {@code -javaagent:trace-agent/target/trace-agent.jar}, run from the repository root). With the agent
 * one round trip writes an {@code http.get} and a {@code request.info} whose {@code x_module} is the
 * route template, so the difference is the client's and the served request's instrumentation together.
 *
 * <pre>
 * mvn -B -q -pl trace-agent,trace-benchmarks -am -DskipTests package
 * java -jar trace-benchmarks/target/benchmarks.jar WebFluxBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@State(Scope.Thread)
public abstract class WebFluxBenchmark {
    private AnnotationConfigApplicationContext context;
    private DisposableServer server;
    private WebClient client;

    /** The application: one annotated controller. */
    @Configuration
    @EnableWebFlux
    public static class App {
        @Bean
        public Items items() {
            return new Items();
        }
    }

    /** {@code GET /items/{id}}. */
    @RestController
    public static class Items {
        @GetMapping("/items/{id}")
        public Mono<String> item(@PathVariable("id") String id) {
            return Mono.just("item " + id);
        }
    }

    @Setup(Level.Trial)
    public void start() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        context = new AnnotationConfigApplicationContext(App.class);
        server = HttpServer.create().host("127.0.0.1").port(0)
                .handle(new ReactorHttpHandlerAdapter(WebHttpHandlerBuilder.applicationContext(context).build()))
                .bindNow();
        client = WebClient.create("http://127.0.0.1:" + server.port());
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.disposeNow();
        context.close();
    }

    @Benchmark
    public String webClientToController(ServedRequest r) {
        return client.get().uri("/items/{id}", 42).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));
    }

    /** The baseline: no agent. */
    @Fork(value = 1)
    public static class NoAgent extends WebFluxBenchmark {
    }

    /** The same code with the packaged agent attached. */
    @Fork(value = 1, jvmArgsAppend = {
            "-javaagent:trace-agent/target/trace-agent.jar=log.dir=/tmp/rpctrace-bench-logs-webflux,service=bench"})
    public static class WithAgent extends WebFluxBenchmark {
    }
}
