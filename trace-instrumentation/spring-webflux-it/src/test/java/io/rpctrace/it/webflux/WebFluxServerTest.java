package io.rpctrace.it.webflux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Spring Boot 4 WebFlux service (Reactor Netty) with the packaged agent: the route template as
 * {@code x_module} for annotated controllers and functional routes, each reactive operator's real
 * call with its exact id, the ids in the application's log lines (MDC) and in {@code log.*}
 * records, per-request debug, handler errors as Spring renders them, a client that goes away.
 */
@ExtendWith(NoInstrumentationErrors.class)
class WebFluxServerTest {
    private static int port;
    private AgentRecords agent;

    @BeforeAll
    static void start() {
        port = RunningShop.port();
    }

    @BeforeEach
    void mark() {
        agent = AgentRecords.start();
    }

    private Records trace(String traceId, int atLeast) {
        return AwaitRecords.until(agent, rs -> rs.inTrace(traceId).size() >= atLeast).inTrace(traceId);
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    @Test
    void anAnnotatedRoutesTemplateIsTheModuleAndTheLogLineCarriesTheIds() {
        RawHttp.Response r = RawHttp.get(port, "/users/42?x=1", "X-Trace-Id: wf-route-1", "X-Rpc-Id: 0.3",
                "X-Forwarded-For: 203.0.113.9, 10.0.0.1");
        assertEquals(200, r.status());
        assertEquals("user 42", r.body());
        assertEquals("wf-route-1", r.header("X-Trace-Id"));
        Records t = trace("wf-route-1", 2);
        t.named("request.info").single().hasRpcId("0.3.1").has("x_code", "200")
                .has("x_module", "GET /users/{id}")
                .has("x_action", base() + "/users/42?x=1")
                .has("x_client_ip", "203.0.113.9")
                .has("x_server_ip", "127.0.0.1:" + port);
        t.named("log.info").single().hasRpcId("0.3.1").has("x_module", "shop.orders").has("x_msg", "user 42");
        assertEquals(2, t.size(), t.toString());
        assertTrue(RunningShop.logLines().contains("LOG INFO  shop.orders [wf-route-1|0.3.1] user 42"),
                String.join("\n", RunningShop.logLines()));
    }

    @Test
    void functionalRoutesTemplatesAreTheModuleNestedOnesWhole() {
        RawHttp.Response item = RawHttp.get(port, "/fn/items/9", "X-Trace-Id: wf-fn-1");
        assertEquals("item 9", item.body());
        RawHttp.Response nested = RawHttp.get(port, "/fn/shops/s1/items/i2", "X-Trace-Id: wf-fn-2");
        assertEquals("s1/i2", nested.body());
        trace("wf-fn-1", 2).named("request.info").single().hasRpcId("0.1").has("x_code", "200")
                .has("x_module", "GET /fn/items/{id}");
        trace("wf-fn-1", 2).named("log.info").single().hasRpcId("0.1").has("x_msg", "fn item 9");
        trace("wf-fn-2", 1).named("request.info").single().hasRpcId("0.1")
                .has("x_module", "GET /fn/shops/{shop}/items/{item}");
    }

    @Test
    void eachOperatorsCallTakesTheRequestsNextIdWhateverThreadItRunsOn() {
        RawHttp.Response r = RawHttp.get(port, "/orders/7", "X-Trace-Id: wf-chain-1");
        assertEquals(200, r.status(), r.body());
        assertEquals("order 7 ok", r.body());
        Records t = trace("wf-chain-1", 20);
        t.where(x -> "0.1".equals(x.rpcId())).named("request.info").single().has("x_module", "GET /orders/{id}");
        t.named("mysql.request").where(x -> "0.2".equals(x.rpcId())).single().has("x_action", "select ?");  // subscribeOn
        t.named("redis.request").where(x -> "0.3".equals(x.rpcId())).single()
                .has("x_action", "SET rpct:webflux-it:order:7");                                            // publishOn + flatMap
        t.named("http.get").where(x -> "0.4".equals(x.rpcId())).single().has("x_code", "200")
                .has("x_action", base() + "/users/7");                                                    // delayElement + WebClient
        t.where(x -> "0.4.1".equals(x.rpcId())).named("request.info").single().has("x_module", "GET /users/{id}");
        t.where(x -> "0.4.1".equals(x.rpcId())).named("log.info").single().has("x_msg", "user 7");
        t.named("mysql.request").where(x -> "0.5".equals(x.rpcId())).single();                             // doOnNext
        assertEquals(List.of("0.6"), t.named("redis.request").where(x -> "GET rpct:webflux-it:order:7"
                .equals(x.string("x_action")) && x.rpcId().equals("0.6")).rpcIds(), t.toString());       // Mono.zip
        t.named("mysql.request").where(x -> "0.7".equals(x.rpcId())).single();                             // Mono.zip
        assertEquals(List.of("0.8", "0.9"), t.named("redis.request")
                .where(x -> x.rpcId().equals("0.8") || x.rpcId().equals("0.9")).rpcIds());               // parallel()
        t.named("http.get.error").single().hasRpcId("0.10").has("x_code", "503");                          // retry: 1st
        t.where(x -> "0.10.1".equals(x.rpcId())).named("request.info.error").single().has("x_code", "503")
                .has("x_module", "GET /flaky/{key}");
        t.named("http.get").where(x -> "0.11".equals(x.rpcId())).single().has("x_code", "200");          // retry: 2nd
        t.where(x -> "0.11.1".equals(x.rpcId())).named("request.info").single();
        t.named("log.info").module("shop.orders").where(x -> "order 7 done".equals(x.string("x_msg"))).single();
        t.where(x -> !x.name().startsWith("log.")).assertUniqueIds().assertNoGaps();
        assertEquals(16, t.size(), t.toString());
        assertTrue(RunningShop.logLines().stream().anyMatch(l -> l.startsWith("LOG INFO  shop.orders [wf-chain-1|0.")
                && l.endsWith("] order 7 done")), String.join("\n", RunningShop.logLines()));
    }

    @Test
    void debugModeWithTheTokenShowsTheHandlersDebugLinesForThatRequestOnly() {
        assertEquals("debug", RawHttp.get(port, "/debug/1", "X-Trace-Id: wf-debug-on", "X-Debug: 1",
                "X-Debug-Token: s3cret").body());
        assertEquals("plain", RawHttp.get(port, "/debug/2", "X-Trace-Id: wf-debug-plain").body());
        assertEquals("plain", RawHttp.get(port, "/debug/3", "X-Trace-Id: wf-debug-wrong", "X-Debug: 1",
                "X-Debug-Token: guess").body());
        // Spring's own debug lines for that request too (the whole request is in debug mode)
        trace("wf-debug-on", 2).named("log.debug").module("shop.orders").single().hasRpcId("0.1")
                .has("x_msg", "debug detail 1");
        assertEquals(0, trace("wf-debug-plain", 1).named("log.debug").size());
        assertEquals(0, trace("wf-debug-wrong", 1).named("log.debug").size());
        List<String> lines = RunningShop.logLines();
        assertTrue(lines.contains("LOG DEBUG shop.orders [wf-debug-on|0.1] debug detail 1"), String.join("\n", lines));
        assertEquals(0, lines.stream().filter(l -> l.contains("debug detail 2") || l.contains("debug detail 3")).count());
    }

    @Test
    void anUnhandledHandlerErrorIsA500WithTheException() {
        RawHttp.Response r = RawHttp.get(port, "/boom/5", "X-Trace-Id: wf-boom-1");
        assertEquals(500, r.status());
        String msg = trace("wf-boom-1", 1).named("request.info.error").single().hasRpcId("0.1").has("x_code", "500")
                .has("x_module", "GET /boom/{id}").record().string("x_msg");
        assertTrue(msg != null && msg.contains("boom 5"), msg);
    }

    @Test
    void aResponseStatusExceptionIsItsStatusNotAFailure() {
        RawHttp.Response r = RawHttp.get(port, "/missing/5", "X-Trace-Id: wf-missing-1");
        assertEquals(404, r.status());
        trace("wf-missing-1", 1).named("request.info").single().hasRpcId("0.1").has("x_code", "404")
                .has("x_module", "GET /missing/{id}");
    }

    @Test
    void aClientThatGoesAwayIsRecordedAsCancelled() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            out.write("GET /never HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Trace-Id: wf-cancel-1\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            Thread.sleep(300);
        }
        trace("wf-cancel-1", 1).named("request.info.error").single().hasRpcId("0.1").has("x_code", "499")
                .has("x_module", "GET /never");
    }
}
