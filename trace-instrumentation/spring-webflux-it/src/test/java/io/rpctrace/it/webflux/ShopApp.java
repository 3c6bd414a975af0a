package io.rpctrace.it.webflux;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.path;
import static org.springframework.web.reactive.function.server.RouterFunctions.nest;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A Spring Boot WebFlux service as users write it, nothing of rpctrace in it: annotated controllers
 * and functional routes with path variables; {@code /orders/{id}} makes a real call inside each
 * operator of issue 17 (JDBC on boundedElastic, Lettuce reactive, WebClient back to this service);
 * {@code /fan/{id}} makes two downstream calls (the concurrency test); logs go through SLF4J to a
 * file whose pattern carries the MDC ids.
 */
@SpringBootApplication
@RestController
public class ShopApp {
    /** The application's log line pattern (Spring Boot's {@code logging.pattern.file}). */
    public static final String LOG_PATTERN = "LOG %-5level %logger [%X{x_trace_id}|%X{x_rpc_id}] %msg%n";
    /** Redis keys of this module (the server is shared). */
    public static final String KEY_PREFIX = "rpct:webflux-it:";
    private static final Logger LOG = LoggerFactory.getLogger("shop.orders");
    private static volatile int port;
    private static volatile Connection jdbc;
    private static volatile StatefulRedisConnection<String, String> redis;
    private static volatile RedisClient redisClient;
    private static final Map<String, AtomicInteger> FLAKY = new ConcurrentHashMap<>();
    private final WebClient web = WebClient.create();

    /** Starts the service on a free port of 127.0.0.1, logging to {@code logFile}. */
    public static ConfigurableApplicationContext start(String logFile) {
        SpringApplication app = new SpringApplication(ShopApp.class);
        app.setDefaultProperties(Map.of(
                "server.port", "0",
                "server.address", "127.0.0.1",
                "spring.main.banner-mode", "off",
                "logging.file.name", logFile,
                "logging.pattern.file", LOG_PATTERN));
        ConfigurableApplicationContext ctx = app.run();
        // the property Spring Boot 3 and 4 both set (their WebServerApplicationContext moved package)
        port = ctx.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
        return ctx;
    }

    /** Opens the JDBC and Redis connections (outside any request: their connects are no request's calls). */
    public static void connect() throws SQLException {
        jdbc = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:3306/test", "root", "");
        redisClient = RedisClient.create("redis://127.0.0.1:6379/0");
        redis = redisClient.connect();
    }

    /** Closes what {@link #connect} opened. */
    public static void disconnect() throws SQLException {
        if (redis != null) {
            redis.close();
            redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (jdbc != null) {
            jdbc.close();
        }
    }

    public static int port() {
        return port;
    }

    private String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    private static String query(int n) {
        synchronized (ShopApp.class) { // one connection, used by one thread at a time
            try (PreparedStatement st = jdbc.prepareStatement("select ?")) {
                st.setInt(1, n);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @GetMapping("/users/{id}")
    public Mono<String> user(@PathVariable("id") String id) {
        return Mono.just(id).publishOn(Schedulers.boundedElastic()).map(i -> {
            LOG.info("user {}", i);
            return "user " + i;
        });
    }

    /**
     * Each operator of issue 17 with a real call, in this order of ids (the request is x.1):
     * subscribeOn + JDBC (.2), publishOn + flatMap + Redis SET (.3), delayElement + WebClient (.4),
     * doOnNext + JDBC on boundedElastic (.5), Mono.zip of Redis GET and JDBC (.6, .7),
     * parallel() rails with Redis GETs (.8, .9), retry of a WebClient call that fails once (.10, .11).
     */
    @GetMapping("/orders/{id}")
    public Mono<String> order(@PathVariable("id") String id) {
        String key = KEY_PREFIX + "order:" + id;
        return Mono.fromCallable(() -> query(1)).subscribeOn(Schedulers.boundedElastic())
                .publishOn(Schedulers.parallel())
                .flatMap(one -> redis.reactive().set(key, one))
                .delayElement(Duration.ofMillis(2))
                .flatMap(ok -> web.get().uri(url("/users/" + id)).retrieve().bodyToMono(String.class))
                .publishOn(Schedulers.boundedElastic())
                .doOnNext(user -> query(2))
                .flatMap(user -> Mono.zip(redis.reactive().get(key),
                        Mono.fromCallable(() -> query(3)).subscribeOn(Schedulers.boundedElastic())))
                .flatMap(pair -> Flux.range(0, 2).parallel(2).runOn(Schedulers.parallel())
                        .flatMap(i -> redis.reactive().get(key)).sequential().collectList())
                .flatMap(list -> Mono.defer(() -> web.get().uri(url("/flaky/" + id)).retrieve()
                        .bodyToMono(String.class)).retry(1))
                .map(last -> {
                    LOG.info("order {} done", id);
                    return "order " + id + " " + last;
                });
    }

    @GetMapping("/flaky/{key}")
    public Mono<String> flaky(@PathVariable("key") String key) {
        if (FLAKY.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() == 1) {
            return Mono.error(new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "first attempt"));
        }
        return Mono.just("ok");
    }

    /** Two downstream calls: Redis GET (.2) then WebClient to /users/{id} (.3, served as .3.1). */
    @GetMapping("/fan/{id}")
    public Mono<String> fan(@PathVariable("id") String id) {
        return redis.reactive().get(KEY_PREFIX + "fan").defaultIfEmpty("-")
                .flatMap(v -> web.get().uri(url("/users/" + id)).retrieve().bodyToMono(String.class))
                .map(u -> "fan " + u);
    }

    @GetMapping("/boom/{id}")
    public Mono<String> boom(@PathVariable("id") String id) {
        return Mono.just(id).publishOn(Schedulers.parallel()).map(i -> {
            throw new IllegalStateException("boom " + i);
        });
    }

    @GetMapping("/missing/{id}")
    public Mono<String> missing(@PathVariable("id") String id) {
        return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND, "no item " + id));
    }

    @GetMapping("/debug/{id}")
    public Mono<String> debug(@PathVariable("id") String id) {
        return Mono.just(id).publishOn(Schedulers.boundedElastic()).map(i -> {
            LOG.debug("debug detail {}", i);
            return LOG.isDebugEnabled() ? "debug" : "plain";
        });
    }

    @GetMapping("/never")
    public Mono<String> never() {
        return Mono.never();
    }

    /** Functional routes, one of them nested: their patterns are the route templates too. */
    @Bean
    public RouterFunction<ServerResponse> functionalRoutes() {
        return route(GET("/fn/items/{id}"), req -> ServerResponse.ok()
                .body(Mono.just(req.pathVariable("id")).publishOn(Schedulers.parallel())
                        .map(id -> {
                            LOG.info("fn item {}", id);
                            return "item " + id;
                        }), String.class))
                .and(nest(path("/fn/shops"), route(GET("/{shop}/items/{item}"), req -> ServerResponse.ok()
                        .bodyValue(req.pathVariable("shop") + "/" + req.pathVariable("item")))));
    }
}
