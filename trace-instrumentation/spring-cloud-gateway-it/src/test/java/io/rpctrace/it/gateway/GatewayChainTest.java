package io.rpctrace.it.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.context.DebugToken;
import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.ServiceProperties;
import io.rpctrace.testing.TraceRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spring Cloud Gateway → WebFlux (WebClient) → Spring MVC (JDBC), each service in its own JVM with
 * the packaged agent as a user attaches it (docs/instrumentation/reactive.md, "Spring Cloud
 * Gateway"). The ids are those of docs/model.md: a request that comes without ids enters the
 * gateway at {@code 0.1} (rule 1), each call takes the next id of its scope (rule 2), a service
 * called with {@code X-Rpc-Id: 0.2} serves at {@code 0.2.1}.
 */
class GatewayChainTest {
    private static final int WAIT_S = 10;
    private static GatewayChain chain;

    @BeforeAll
    static void start() {
        chain = GatewayChain.start(true);
    }

    @AfterAll
    static void stop() {
        if (chain != null) {
            chain.close();
        }
    }

    @BeforeEach
    void mark() {
        chain.mark();
    }

    @Test
    void aRoutedRequestIsOneTraceWithExactIdsThroughTheThreeServices() {
        String trace = answeredA1(chain.item("a1"));

        Records gw = records(chain.gateway, trace, 2);
        gw.named("request.info").single().hasRpcId("0.1").has("x_code", "200")
                .has("x_action", "http://127.0.0.1:" + chain.gatewayPort + "/api/catalog/items/a1");
        gw.named("http.get").single().hasRpcId("0.2").has("x_code", "200")
                .has("x_action", "http://127.0.0.1:" + chain.catalogPort + "/catalog/items/a1")
                .has("x_host", "127.0.0.1:" + chain.catalogPort);

        Records cat = records(chain.catalog, trace, 3);
        cat.named("request.info").single().hasRpcId("0.2.1").has("x_code", "200")
                .has("x_action", "http://127.0.0.1:" + chain.catalogPort + "/catalog/items/a1");
        cat.named("http.get").single().hasRpcId("0.2.2").has("x_code", "200")
                .has("x_action", "http://127.0.0.1:" + chain.stockPort + "/stock/a1");
        // logged in a map() after the WebClient call: the current id after that call (rule 3)
        cat.named("log.info").module("catalog.api").single().hasRpcId("0.2.2").has("x_msg", "catalog item a1");

        Records st = records(chain.stock, trace, 3);
        st.named("request.info").single().hasRpcId("0.2.2.1").has("x_code", "200")
                .has("x_module", "GET /stock/{sku}");
        st.named("h2.request").single().hasRpcId("0.2.2.2").has("x_action", "select qty from stock where sku = ?")
                .has("x_db", "stock");
        st.named("log.info").module("stock.api").single().hasRpcId("0.2.2.1").has("x_msg", "stock lookup a1");

        for (Records service : List.of(gw, cat, st)) {
            service.where(x -> !x.name().startsWith("log.")).assertUniqueIds();
            assertEquals(0, service.named("log.debug").size(), service.toString());
        }
    }

    @Test
    void aCallersIdsAreContinuedAndReplacedOnTheWayUpstream() {
        String trace = "caller-trace-17";
        String t = answeredA1(chain.item("a1", "X-Trace-Id: " + trace, "X-Rpc-Id: 0.5"));
        assertEquals(trace, t);
        Records gw = records(chain.gateway, trace, 2);
        gw.named("request.info").single().hasRpcId("0.5.1");
        gw.named("http.get").single().hasRpcId("0.5.2");
        // the gateway copied the caller's X-Rpc-Id; the upstream got the call's own id instead
        records(chain.catalog, trace, 2).named("request.info").single().hasRpcId("0.5.2.1");
        records(chain.stock, trace, 3).named("h2.request").single().hasRpcId("0.5.2.2.2");
    }

    @Test
    void debugModeWithTheTokenReachesEveryServiceForThatRequestOnly() {
        RawHttp.Response debug = chain.item("b2", "X-Debug: 1", "X-Debug-Token: " + ServiceProperties.DEBUG_SECRET);
        RawHttp.Response plain = chain.item("b2");
        RawHttp.Response wrong = chain.item("b2", "X-Debug: 1", "X-Debug-Token: guess");
        String trace = debug.header("X-Trace-Id");
        // what the stock service received is the token bound to this trace, never the secret
        String bound = new DebugToken(ServiceProperties.DEBUG_SECRET).forTrace(trace);
        assertEquals("item b2 debug | stock b2=3 debug token=" + bound, debug.body());
        assertEquals("item b2 plain | stock b2=3 plain token=-", plain.body());
        assertEquals("item b2 plain | stock b2=3 plain token=-", wrong.body());

        // in debug mode the libraries' own debug lines are records too: wait for the application's
        chain.gateway.awaitDebugOf(trace, "gateway.edge", WAIT_S).named("log.debug").module("gateway.edge").single()
                .hasRpcId("0.1").has("x_msg", "gateway debug /catalog/items/b2");
        chain.catalog.awaitDebugOf(trace, "catalog.api", WAIT_S).named("log.debug").module("catalog.api").single()
                .hasRpcId("0.2.1").has("x_msg", "catalog debug b2");
        chain.stock.awaitDebugOf(trace, "stock.api", WAIT_S).named("log.debug").module("stock.api").single()
                .hasRpcId("0.2.2.1").has("x_msg", "stock debug b2");
        // the applications' own console appenders print them too, with the ids in the MDC
        chain.gateway.assertLine("LOG DEBUG gateway.edge [" + trace + "|0.1] gateway debug /catalog/items/b2");
        chain.catalog.assertLine("LOG DEBUG catalog.api [" + trace + "|0.2.1] catalog debug b2");
        chain.stock.assertLine("LOG DEBUG stock.api [" + trace + "|0.2.2.1] stock debug b2");

        for (RawHttp.Response other : List.of(plain, wrong)) {
            String t = other.header("X-Trace-Id");
            for (ChildJvm.Running service : List.of(chain.gateway, chain.catalog, chain.stock)) {
                Records rs = records(service, t, 1);
                assertEquals(0, rs.named("log.debug").size(), rs.toString());
                assertFalse(service.stdout().lines().anyMatch(l -> l.startsWith("LOG DEBUG") && l.contains("[" + t + "|")),
                        service.stdout());
            }
            records(chain.stock, t, 3).named("log.info").module("stock.api").single().hasRpcId("0.2.2.1");
        }
        // the gateway's debug line of the request's headers is a record, the secret masked in it
        chain.gateway.awaitDebugOf(trace, "gateway.headers", WAIT_S).named("log.debug").module("gateway.headers")
                .single().hasRpcId("0.1");
        for (ChildJvm.Running service : List.of(chain.gateway, chain.catalog, chain.stock)) {
            for (TraceRecord rec : service.records()) {
                assertFalse(rec.line().contains(ServiceProperties.DEBUG_SECRET), rec.line());
            }
        }
    }

    @Test
    void aGatewayFilterThatCallsAnotherServiceJoinsTheTraceWithTheNextId() {
        String trace = answeredA1(chain.audited("a1"));

        Records gw = records(chain.gateway, trace, 3);
        gw.named("request.info").single().hasRpcId("0.1").has("x_code", "200");
        List<String> calls = gw.named("http.get").rpcIds();
        assertEquals(List.of("0.2", "0.3"), calls, gw.toString());
        gw.named("http.get").where(x -> "0.2".equals(x.rpcId())).single()
                .has("x_action", "http://127.0.0.1:" + chain.stockPort + "/audit").has("x_code", "200");
        gw.named("http.get").where(x -> "0.3".equals(x.rpcId())).single()
                .has("x_action", "http://127.0.0.1:" + chain.catalogPort + "/catalog/items/a1");

        Records st = records(chain.stock, trace, 4);
        st.named("request.info").where(x -> "0.2.1".equals(x.rpcId())).single()
                .has("x_action", "http://127.0.0.1:" + chain.stockPort + "/audit").has("x_module", "GET /audit");
        st.named("request.info").where(x -> "0.3.2.1".equals(x.rpcId())).single().has("x_module", "GET /stock/{sku}");
        st.named("h2.request").single().hasRpcId("0.3.2.2");
        Records cat = records(chain.catalog, trace, 2);
        cat.named("request.info").single().hasRpcId("0.3.1");
        cat.named("http.get").single().hasRpcId("0.3.2");
    }

    @Test
    void anUpstreamSlowerThanTheRouteTimeoutIs504AndAFailedCall() {
        RawHttp.Response r = chain.slow();
        assertEquals(504, r.status(), r.toString());
        String trace = r.header("X-Trace-Id");

        Records gw = records(chain.gateway, trace, 2);
        gw.named("request.info.error").single().hasRpcId("0.1").has("x_code", "504")
                .has("x_action", "http://127.0.0.1:" + chain.gatewayPort + "/api/slow");
        // The gateway's response-timeout is a Reactor timeout() that cancels the client's
        // subscription: that cancel is a response that took too long, READ_TIMEOUT as the other
        // clients record it (a client going away stays CANCELLED, below).
        gw.named("http.get.error").single().hasRpcId("0.2").has("x_code", "READ_TIMEOUT")
                .has("x_action", "http://127.0.0.1:" + chain.catalogPort + "/catalog/slow");
        assertEquals(0, gw.named("http.get").size(), gw.toString());
        // the catalog sees its caller go away
        records(chain.catalog, trace, 1).named("request.info.error").single().hasRpcId("0.2.1").has("x_code", "499");
    }

    @Test
    void aClientThatGoesAwayIs499AtTheGatewayAndTheUpstreamCallIsCancelled() {
        chain.requestAndHangUp(500);
        Records gw = chain.gateway.awaitRecords(rs -> rs.named("request.info.error").size() == 1
                && rs.named("http.get.error").size() == 1, WAIT_S);
        TraceRecord served = gw.named("request.info.error").single().hasRpcId("0.1").has("x_code", "499")
                .has("x_action", "http://127.0.0.1:" + chain.gatewayPort + "/api/catalog/slow").record();
        Records t = gw.inTrace(served.traceId());
        t.named("http.get.error").single().hasRpcId("0.2").has("x_code", "CANCELLED");
        records(chain.catalog, served.traceId(), 1).named("request.info.error").single().hasRpcId("0.2.1")
                .has("x_code", "499");
    }

    @Test
    void theGatewaysRecordsNeverKeyOnAUrlWithIds() {
        String trace = answeredA1(chain.item("a1"));
        Records gw = records(chain.gateway, trace, 2);
        // the route's Path pattern names the request (module spring-webflux), so the module
        // timers (docs/metrics.md) key on it, never on /api/catalog/items/a1
        gw.named("request.info").single().has("x_module", "GET /api/catalog/**");
        String callModule = gw.named("http.get").single().record().string("x_module");
        assertTrue(callModule == null || "GET /api/catalog/**".equals(callModule), gw.toString());
    }

    @Test
    void concurrentRequestsOnTheGatewaysEventLoopsEachStayInTheirOwnTrace() throws Exception {
        int n = 100;
        ExecutorService clients = Executors.newFixedThreadPool(16);
        List<Future<String[]>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                String sku = i % 2 == 0 ? "a1" : "b2";
                sent.add(clients.submit(() -> {
                    RawHttp.Response r = chain.item(sku);
                    assertEquals(200, r.status(), r.toString());
                    return new String[] {sku, r.header("X-Trace-Id"), r.body()};
                }));
            }
        } finally {
            clients.shutdown();
        }
        Map<String, String> skuByTrace = new HashMap<>();
        for (Future<String[]> f : sent) {
            String[] r = f.get(60, TimeUnit.SECONDS);
            assertTrue(r[2].startsWith("item " + r[0] + " plain | stock " + r[0] + "="), r[2]);
            assertNull(skuByTrace.put(r[1], r[0]), "two responses with trace " + r[1]);
        }
        Records gw = chain.gateway.awaitRecords(rs -> rs.named("request.info").size() >= n, WAIT_S);
        Records cat = chain.catalog.awaitRecords(rs -> rs.named("request.info").size() >= n, WAIT_S);
        Records st = chain.stock.awaitRecords(rs -> rs.named("h2.request").size() >= n, WAIT_S);
        for (Map.Entry<String, String> e : skuByTrace.entrySet()) {
            String trace = e.getKey();
            String path = "/items/" + e.getValue();
            Records g = gw.inTrace(trace);
            g.named("request.info").single().hasRpcId("0.1").has("x_action",
                    "http://127.0.0.1:" + chain.gatewayPort + "/api/catalog" + path);
            g.named("http.get").single().hasRpcId("0.2");
            Records c = cat.inTrace(trace);
            c.named("request.info").single().hasRpcId("0.2.1").has("x_action",
                    "http://127.0.0.1:" + chain.catalogPort + "/catalog" + path);
            c.named("http.get").single().hasRpcId("0.2.2").has("x_action",
                    "http://127.0.0.1:" + chain.stockPort + "/stock/" + e.getValue());
            c.named("log.info").single().hasRpcId("0.2.2").has("x_msg", "catalog item " + e.getValue());
            Records s = st.inTrace(trace);
            s.named("request.info").single().hasRpcId("0.2.2.1").has("x_action",
                    "http://127.0.0.1:" + chain.stockPort + "/stock/" + e.getValue());
            s.named("h2.request").single().hasRpcId("0.2.2.2");
        }
        // nothing of a request outside its trace: every record of these services is in one of them
        for (Records service : List.of(gw.named("request.info"), gw.named("http.get"), cat.named("http.get"),
                cat.named("log.info"), st.named("h2.request"))) {
            assertEquals(n, service.size(), service.toString());
            assertTrue(skuByTrace.keySet().containsAll(service.traceIds()), service.toString());
        }
    }

    /** Checks the answer to an {@code a1} request through the chain and returns its trace id. */
    private static String answeredA1(RawHttp.Response r) {
        assertEquals(200, r.status(), r.toString());
        assertEquals(GatewayChain.ITEM_A1, r.body());
        assertNotNull(r.header("X-Trace-Id"), r.toString());
        // once: the route copies the upstream's response headers (its X-Trace-Id too) onto the
        // gateway's response, which carries its own (spring-petclinic-microservices' api-gateway)
        assertEquals(List.of(r.header("X-Trace-Id")), r.headerValues("X-Trace-Id"), r.head());
        return r.header("X-Trace-Id");
    }

    /** The records of {@code trace} in {@code service}, once there are at least {@code n}. */
    private static Records records(ChildJvm.Running service, String trace, int n) {
        return service.awaitTrace(trace, n, WAIT_S);
    }
}
