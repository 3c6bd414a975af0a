package io.rpctrace.it.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Reactor Netty's {@code HttpServer} with the packaged agent: {@code request.info} per request with
 * the caller's ids, the handler's chain in the request's scope on other threads, {@code X-Trace-Id}
 * on the response, the path template of the {@code route(...)} that served it as {@code x_module}, a
 * failing handler, a client that goes away.
 */
class ReactorNettyServerTest {
    private static DisposableServer server;
    private AgentRecords agent;

    @BeforeAll
    static void start() {
        server = HttpServer.create().host("127.0.0.1").port(0).route(routes -> routes
                .get("/items/{id}", (req, res) -> res.sendString(Mono.just(req.param("id"))
                        .publishOn(Schedulers.parallel())
                        .delayElement(Duration.ofMillis(2))
                        .map(id -> {
                            try (Span call = Trace.call("op.item")) {
                                return id + ":" + call.rpcId() + "@" + Trace.traceId();
                            }
                        })))
                .get("/fail", (req, res) -> Mono.<Void>error(new IllegalStateException("boom"))
                        .subscribeOn(Schedulers.boundedElastic()))
                .get("/never", (req, res) -> res.sendString(Mono.never()))
                .route(req -> req.uri().startsWith("/own/"), (req, res) -> res.sendString(Mono.just("own")))
                .get("/debug", (req, res) -> res.sendString(Mono.just("d").publishOn(Schedulers.boundedElastic())
                        .map(x -> {
                            Trace.debug("reactor_it", "debug inside a handler on " + Thread.currentThread().getName());
                            return x + Trace.isDebug();
                        }))))
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

    @Test
    void aServedRequestContinuesTheCallersTraceAcrossThreads() {
        RawHttp.Response r = RawHttp.get(server.port(), "/items/7?x=1", "X-Trace-Id: rn-trace-1", "X-Rpc-Id: 0.3",
                "X-Forwarded-For: 203.0.113.9, 10.0.0.1");
        assertEquals(200, r.status());
        assertEquals("7:0.3.2@rn-trace-1", r.body());
        assertEquals("rn-trace-1", r.header("X-Trace-Id"));
        Records records = AwaitRecords.until(agent, rs -> rs.inTrace("rn-trace-1").size() >= 2).inTrace("rn-trace-1");
        records.named("request.info").single().hasRpcId("0.3.1").has("x_code", "200")
                .has("x_module", "GET /items/{id}")
                .has("x_client_ip", "203.0.113.9")
                .has("x_action", "http://127.0.0.1:" + server.port() + "/items/7?x=1");
        records.named("op.item").single().hasRpcId("0.3.2");
    }

    /**
     * The advice reads the request's headers in one pass over them (not by name): names match in
     * any case, the first of a repeated header counts (as a lookup by name returns it), and the
     * peer's and this end's addresses are the connection's.
     */
    @Test
    void headersAreReadInAnyCaseAndTheFirstOfARepeatedOneCounts() {
        RawHttp.Response r = RawHttp.get(server.port(), "/items/8", "x-trace-id: rn-case-1", "X-RPC-ID: 0.4",
                "x-forwarded-for: not-an-ip", "X-REAL-IP: 198.51.100.7", "X-Real-IP: 198.51.100.8",
                "user-agent: case-agent/1", "REFERER: http://ref.example/");
        assertEquals(200, r.status());
        records(r, "rn-case-1").named("request.info").single().hasRpcId("0.4.1")
                .has("x_client_ip", "198.51.100.7")
                .has("x_user_agent", "case-agent/1")
                .has("x_source", "http://ref.example/")
                .has("x_server_ip", "127.0.0.1:" + server.port())
                .has("x_action", "http://127.0.0.1:" + server.port() + "/items/8");
        RawHttp.Response peer = RawHttp.get(server.port(), "/items/9", "X-Trace-Id: rn-case-2");
        records(peer, "rn-case-2").named("request.info").single().has("x_client_ip", "127.0.0.1");
    }

    private Records records(RawHttp.Response r, String traceId) {
        assertEquals(traceId, r.header("X-Trace-Id"));
        return AwaitRecords.until(agent, rs -> rs.inTrace(traceId).size() >= 2).inTrace(traceId);
    }

    @Test
    void aRouteOfTheApplicationsOwnPredicateHasNoTemplateAndLeavesTheModuleAlone() {
        assertEquals("own", RawHttp.get(server.port(), "/own/42", "X-Trace-Id: rn-own-1").body());
        Object module = AwaitRecords.until(agent, rs -> rs.inTrace("rn-own-1").size() >= 1).inTrace("rn-own-1")
                .named("request.info").single().hasRpcId("0.1").record().string("x_module");
        assertFalse(String.valueOf(module).contains("/own"), String.valueOf(module));
    }

    @Test
    void debugModeWithTheTokenReachesTheHandlersOperators() {
        RawHttp.Response on = RawHttp.get(server.port(), "/debug", "X-Trace-Id: rn-debug-on", "X-Debug: 1",
                "X-Debug-Token: s3cret");
        assertEquals("dtrue", on.body());
        RawHttp.Response wrongToken = RawHttp.get(server.port(), "/debug", "X-Trace-Id: rn-debug-off", "X-Debug: 1",
                "X-Debug-Token: guess");
        assertEquals("dfalse", wrongToken.body());
        Records all = AwaitRecords.until(agent, rs -> rs.inTrace("rn-debug-on").size() >= 2
                && rs.inTrace("rn-debug-off").size() >= 1);
        all.inTrace("rn-debug-on").named("log.debug").single().hasRpcId("0.1");
        assertEquals(0, all.inTrace("rn-debug-off").named("log.debug").size());
    }

    @Test
    void aFailingHandlerIsARequestError() {
        RawHttp.Response r = RawHttp.get(server.port(), "/fail", "X-Trace-Id: rn-trace-2");
        assertEquals(500, r.status());
        Records records = AwaitRecords.until(agent, rs -> rs.inTrace("rn-trace-2").size() >= 1).inTrace("rn-trace-2");
        records.named("request.info.error").single().hasRpcId("0.1").has("x_code", "500");
    }

    @Test
    void aClientThatGoesAwayIsRecordedAsCancelled() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /never HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trace-Id: rn-trace-3\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(200);
        }
        Records records = AwaitRecords.until(agent, rs -> rs.inTrace("rn-trace-3").size() >= 1).inTrace("rn-trace-3");
        records.named("request.info.error").single().hasRpcId("0.1").has("x_code", "499")
                .has("x_module", "GET /never");
    }

    @Test
    void concurrentRequestsOnTheEventLoopEachKeepTheirOwnTrace() throws Exception {
        int n = 200;
        ExecutorService clients = Executors.newFixedThreadPool(16);
        try {
            List<Future<String>> bodies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                String trace = "rn-c-" + i;
                bodies.add(clients.submit(() -> RawHttp.get(server.port(), "/items/" + trace,
                        "X-Trace-Id: " + trace, "X-Rpc-Id: 0.5").body()));
            }
            for (int i = 0; i < n; i++) {
                assertEquals("rn-c-" + i + ":0.5.2@rn-c-" + i, bodies.get(i).get());
            }
        } finally {
            clients.shutdownNow();
        }
        List<TraceRecord> all = AwaitRecords.until(agent, rs -> rs.named("request.info")
                .where(x -> x.traceId().startsWith("rn-c-")).size() >= n).list();
        for (int i = 0; i < n; i++) {
            Records t = Records.of(all).inTrace("rn-c-" + i);
            t.named("request.info").single().hasRpcId("0.5.1").has("x_module", "GET /items/{id}");
            t.named("op.item").single().hasRpcId("0.5.2");
            assertEquals(2, t.size(), t.toString());
        }
    }
}
