package io.rpctrace.bench;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.adapter.WebHttpHandlerBuilder;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * {@link WebFluxBenchmark}'s round trip (a WebClient call inside a request to an annotated WebFlux
 * controller in the same JVM) timed by the process's CPU time rather than by wall time: on a machine
 * shared with other builds, a round trip of three thread hand-offs mostly waits for a core, so its
 * latency says little; the CPU the process spends per round trip is what the agent adds to.
 *
 * <pre>
 * java -cp trace-benchmarks/target/benchmarks.jar io.rpctrace.bench.WebFluxCpuCost 20000 20000
 * java -javaagent:trace-agent/target/trace-agent.jar=log.dir=/tmp/bench-logs,service=bench \
 *      -cp trace-benchmarks/target/benchmarks.jar io.rpctrace.bench.WebFluxCpuCost 20000 20000
 * </pre>
 */
public final class WebFluxCpuCost {
    private WebFluxCpuCost() {
    }

    public static void main(String[] args) {
        int warmup = Integer.parseInt(args[0]);
        int measured = Integer.parseInt(args[1]);
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(WebFluxBenchmark.App.class);
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .handle(new ReactorHttpHandlerAdapter(WebHttpHandlerBuilder.applicationContext(context).build()))
                .bindNow();
        WebClient client = WebClient.create("http://127.0.0.1:" + server.port());
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int round = 0; round < 2; round++) {
            int n = round == 0 ? warmup : measured;
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            try (Span request = Trace.enter(null, null)) {
                for (int i = 0; i < n; i++) {
                    client.get().uri("/items/{id}", i).retrieve().bodyToMono(String.class).block(Duration.ofSeconds(10));
                }
            }
            long cpu = os.getProcessCpuTime() - cpu0;
            long wall = System.nanoTime() - t0;
            System.out.printf("%s %d round trips: %.1f us CPU each, %.1f us wall each%n",
                    round == 0 ? "warm-up" : "measured", n, cpu / 1000.0 / n, wall / 1000.0 / n);
        }
        server.disposeNow();
        context.close();
    }
}
