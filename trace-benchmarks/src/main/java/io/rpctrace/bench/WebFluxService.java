package io.rpctrace.bench;

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
 * A small Spring WebFlux service (annotated controller on Reactor Netty, no Spring Boot) for
 * measuring, with the load generator in another process, what the agent adds per served request
 * and per WebClient call ({@code trace-benchmarks/webflux-threadcpu.sh}, docs/benchmarks.md):
 * {@code GET /items/{id}} answers {@code item <id>}; {@code GET /proxy/{id}} answers what a
 * WebClient GET of its own {@code /items/{id}} returns, so one request there is two served
 * requests and one client call. Nothing of rpctrace in it; the measurement attaches the agent or none.
 *
 * <pre>
 * java -cp trace-benchmarks/target/benchmarks.jar io.rpctrace.bench.WebFluxService 18090
 * </pre>
 */
public final class WebFluxService {
    private WebFluxService() {
    }

    /** The application: one annotated controller and its WebClient. */
    @Configuration
    @EnableWebFlux
    public static class App {
        @Bean
        public Items items() {
            return new Items(WebClient.create("http://127.0.0.1:" + Integer.getInteger("webflux.port", 18090)));
        }
    }

    /** {@code GET /items/{id}} and {@code GET /proxy/{id}}. */
    @RestController
    public static class Items {
        private final WebClient client;

        Items(WebClient client) {
            this.client = client;
        }

        @GetMapping("/items/{id}")
        public Mono<String> item(@PathVariable("id") String id) {
            return Mono.just("item " + id);
        }

        @GetMapping("/proxy/{id}")
        public Mono<String> proxy(@PathVariable("id") String id) {
            return client.get().uri("/items/{id}", id).retrieve().bodyToMono(String.class);
        }
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 18090;
        System.setProperty("webflux.port", String.valueOf(port));
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext(App.class);
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(port)
                .handle(new ReactorHttpHandlerAdapter(WebHttpHandlerBuilder.applicationContext(context).build()))
                .bindNow();
        System.out.println("listening on " + server.port());
        server.onDispose().block();
    }
}
