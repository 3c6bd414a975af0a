package io.rpctrace.it.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.Records;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

/**
 * Reactor Netty's {@code HttpClient} inside a chain with the packaged agent, against a Reactor Netty
 * server in this JVM: {@code http.get} takes the request's next id on the event loop, the server
 * continues the trace; a 404 and a call cancelled by a timeout are errors, each recorded once.
 */
class ReactorNettyClientTest {
    private static DisposableServer server;
    /** {@code /held}: counted down when a request arrives, answered when {@link #release} is. */
    private static volatile CountDownLatch held = new CountDownLatch(1);
    private static volatile Sinks.One<String> release = Sinks.one();
    private AgentRecords agent;

    @BeforeAll
    static void start() {
        server = HttpServer.create().host("127.0.0.1").port(0).route(routes -> routes
                .get("/hello", (req, res) -> res.sendString(Mono.fromCallable(() -> "hello " + Trace.rpcId())))
                .get("/slow", (req, res) -> res.sendString(Mono.delay(Duration.ofSeconds(2)).map(x -> "late")))
                .get("/held", (req, res) -> res.sendString(
                        Mono.fromRunnable(() -> held.countDown()).then(release.asMono()))))
                .bindNow();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.disposeNow();
        }
    }

    @BeforeEach
    void mark() {
        agent = AgentRecords.start();
    }

    private Mono<String> get(String path) {
        return get(HttpClient.create(), path);
    }

    private Mono<String> get(HttpClient client, String path) {
        return client.get().uri("http://127.0.0.1:" + server.port() + path)
                .responseSingle((res, body) -> res.status().code() >= 400
                        ? Mono.just(String.valueOf(res.status().code())) : body.asString());
    }

    @Test
    void aCallInsideAChainJoinsTheRequestAndTheServerContinuesIt() {
        String traceId;
        String body;
        try (Span req = Trace.enter(null, null)) {
            traceId = Trace.traceId();
            body = Mono.just(1).publishOn(Schedulers.parallel()).flatMap(i -> get("/hello"))
                    .block(Duration.ofSeconds(10));
        }
        assertEquals("hello 0.2.1", body);
        Records r = AwaitRecords.until(agent, rs -> rs.inTrace(traceId).size() >= 3).inTrace(traceId);
        r.named("request.info").where(x -> "0.1".equals(x.rpcId())).single();
        r.named("http.get").single().hasRpcId("0.2").has("x_code", "200")
                .has("x_host", "127.0.0.1:" + server.port())
                .has("x_action", "http://127.0.0.1:" + server.port() + "/hello");
        r.named("request.info").where(x -> "0.2.1".equals(x.rpcId())).single().has("x_code", "200");
        assertEquals(3, r.size(), r.toString());
    }

    @Test
    void notFoundIsACallError() {
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = Trace.traceId();
            assertEquals("404", get("/missing").block(Duration.ofSeconds(10)));
        }
        Records r = AwaitRecords.until(agent, rs -> rs.inTrace(traceId).named("http.get.error").size() >= 1)
                .inTrace(traceId);
        r.named("http.get.error").single().hasRpcId("0.2").has("x_code", "404");
    }

    @Test
    void aTimeoutCancelsTheCallOnce() throws Exception {
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = Trace.traceId();
            assertThrows(RuntimeException.class,
                    () -> get("/slow").timeout(Duration.ofMillis(200)).block(Duration.ofSeconds(10)));
        }
        Records r = AwaitRecords.until(agent, rs -> rs.inTrace(traceId).named("http.get.error").size() >= 1)
                .inTrace(traceId);
        Thread.sleep(300);
        r = Records.of(agent.flush()).inTrace(traceId);
        r.named("http.get.error").single().hasRpcId("0.2").has("x_code", "CANCELLED");
        assertEquals(0, r.named("http.get").size(), r.toString());
    }

    @Test
    void aCancelBeforeTheConnectionIsAcquiredIsRecordedCancelledOnce() throws Exception {
        // One connection, held by a first call: the second waits for it in the pool, its timeout
        // cancels it there; the pool then hands it the connection, Reactor Netty disposes it.
        ConnectionProvider pool = ConnectionProvider.builder("one").maxConnections(1).build();
        held = new CountDownLatch(1);
        release = Sinks.one();
        try {
            HttpClient client = HttpClient.create(pool);
            Mono<String> first = get(client, "/held").cache();
            first.subscribe(x -> { }, e -> { });
            assertEquals(true, held.await(10, TimeUnit.SECONDS), "the first call reached the server");
            String traceId;
            try (Span req = Trace.enter(null, null)) {
                traceId = Trace.traceId();
                assertThrows(RuntimeException.class,
                        () -> get(client, "/hello").timeout(Duration.ofMillis(100)).block(Duration.ofSeconds(10)));
            }
            release.tryEmitValue("released");
            assertEquals("released", first.block(Duration.ofSeconds(10)));
            Records r = AwaitRecords.until(agent, rs -> rs.inTrace(traceId).named("http.get.error").size() >= 1)
                    .inTrace(traceId);
            // the pooled connection went to the cancelled call and was disposed: nothing more comes
            get(client, "/hello").block(Duration.ofSeconds(10));
            r = Records.of(agent.flush()).inTrace(traceId);
            r.named("http.get.error").single().hasRpcId("0.2").has("x_code", "CANCELLED");
            assertEquals(0, r.named("http.get").size(), r.toString());
        } finally {
            pool.disposeLater().block(Duration.ofSeconds(10));
        }
    }
}
