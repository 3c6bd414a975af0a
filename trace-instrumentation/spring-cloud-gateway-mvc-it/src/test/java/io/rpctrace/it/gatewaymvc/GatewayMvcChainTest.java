package io.rpctrace.it.gatewaymvc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.context.DebugToken;
import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.ServiceProperties;
import io.rpctrace.testing.TraceRecord;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Spring Cloud Gateway Server MVC → Spring MVC, each service in its own JVM with the packaged
 * agent as a user attaches it (docs/instrumentation/reactive.md, "Spring Cloud Gateway"). The
 * gateway is a servlet application: its {@code request.info} comes from the {@code servlet}
 * module, its call upstream from the {@code jdk-http-client} module (Server MVC proxies through a
 * {@code ClientHttpRequestFactory}, the JDK {@code HttpClient} when no other client library is on
 * the class path). The ids are those of docs/model.md: a request that comes without ids enters the
 * gateway at {@code 0.1} (rule 1), its call takes the next id (rule 2), the upstream called with
 * {@code X-Rpc-Id: 0.2} serves at {@code 0.2.1}.
 */
class GatewayMvcChainTest {
    private static final int WAIT_S = 10;
    private static GatewayMvcChain chain;

    @BeforeAll
    static void start() {
        chain = GatewayMvcChain.start(true);
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
    void aRoutedRequestIsOneTraceWithExactIds() {
        String trace = answeredA1(chain.stock("a1"));

        Records gw = records(chain.gateway, trace, 2);
        // the route's path predicate names the request, never the URL with the sku
        gw.named("request.info").single().hasRpcId("0.1").has("x_code", "200")
                .has("x_action", "http://127.0.0.1:" + chain.gatewayPort + "/api/stock/a1")
                .has("x_module", "GET /api/stock/**");
        gw.named("http.get").single().hasRpcId("0.2").has("x_code", "200")
                .has("x_action", "http://127.0.0.1:" + chain.stockPort + "/stock/a1")
                .has("x_host", "127.0.0.1:" + chain.stockPort);

        Records st = records(chain.stock, trace, 2);
        st.named("request.info").single().hasRpcId("0.2.1").has("x_code", "200")
                .has("x_action", "http://127.0.0.1:" + chain.stockPort + "/stock/a1")
                .has("x_module", "GET /stock/{sku}");
        st.named("log.info").module("stock.api").single().hasRpcId("0.2.1").has("x_msg", "stock lookup a1");

        for (Records service : List.of(gw, st)) {
            service.where(x -> !x.name().startsWith("log.")).assertUniqueIds();
            assertEquals(0, service.named("log.debug").size(), service.toString());
        }
    }

    @Test
    void aCallersIdsAreContinuedAndReplacedOnTheWayUpstream() {
        String trace = "caller-trace-17";
        assertEquals(trace, answeredA1(chain.stock("a1", "X-Trace-Id: " + trace, "X-Rpc-Id: 0.5")));
        Records gw = records(chain.gateway, trace, 2);
        gw.named("request.info").single().hasRpcId("0.5.1");
        gw.named("http.get").single().hasRpcId("0.5.2");
        // the gateway copied the caller's X-Rpc-Id; the upstream got the call's own id instead
        records(chain.stock, trace, 2).named("request.info").single().hasRpcId("0.5.2.1");
    }

    @Test
    void debugModeWithTheTokenReachesTheUpstreamAsTheBoundToken() {
        RawHttp.Response debug = chain.stock("b2", "X-Debug: 1", "X-Debug-Token: " + ServiceProperties.DEBUG_SECRET);
        RawHttp.Response plain = chain.stock("b2");
        RawHttp.Response wrong = chain.stock("b2", "X-Debug: 1", "X-Debug-Token: guess");
        String trace = debug.header("X-Trace-Id");
        // the gateway passes the caller's headers on; the upstream received the token bound to
        // this trace in place of the secret
        String bound = new DebugToken(ServiceProperties.DEBUG_SECRET).forTrace(trace);
        assertEquals("stock b2 debug token=" + bound, debug.body());
        assertEquals("stock b2 plain token=-", plain.body());
        assertEquals(200, wrong.status(), wrong.toString());
        // a wrong token is the caller's header, passed on as it came: it turns nothing on
        assertEquals("stock b2 plain token=guess", wrong.body());

        chain.gateway.awaitDebugOf(trace, "gateway.edge", WAIT_S).named("log.debug").module("gateway.edge").single()
                .hasRpcId("0.1").has("x_msg", "gateway debug /api/stock/b2");
        chain.stock.awaitDebugOf(trace, "stock.api", WAIT_S).named("log.debug").module("stock.api").single()
                .hasRpcId("0.2.1").has("x_msg", "stock debug b2");
        chain.gateway.assertLine("LOG DEBUG gateway.edge [" + trace + "|0.1] gateway debug /api/stock/b2");
        chain.stock.assertLine("LOG DEBUG stock.api [" + trace + "|0.2.1] stock debug b2");

        for (RawHttp.Response other : List.of(plain, wrong)) {
            String t = other.header("X-Trace-Id");
            for (ChildJvm.Running service : List.of(chain.gateway, chain.stock)) {
                Records rs = records(service, t, 1);
                assertEquals(0, rs.named("log.debug").size(), rs.toString());
                assertFalse(service.stdout().lines().anyMatch(l -> l.startsWith("LOG DEBUG") && l.contains("[" + t + "|")),
                        service.stdout());
            }
            records(chain.stock, t, 2).named("log.info").module("stock.api").single().hasRpcId("0.2.1");
        }
        for (ChildJvm.Running service : List.of(chain.gateway, chain.stock)) {
            for (TraceRecord rec : service.records()) {
                assertFalse(rec.line().contains(ServiceProperties.DEBUG_SECRET), rec.line());
            }
        }
    }

    /** Checks the answer to an {@code a1} request through the gateway and returns its trace id. */
    private static String answeredA1(RawHttp.Response r) {
        assertEquals(200, r.status(), r.toString());
        assertEquals(GatewayMvcChain.STOCK_A1, r.body());
        assertNotNull(r.header("X-Trace-Id"), r.toString());
        // once: the route copies the upstream's response headers (its X-Trace-Id too) onto the
        // gateway's response, which carries its own
        assertEquals(List.of(r.header("X-Trace-Id")), r.headerValues("X-Trace-Id"), r.head());
        return r.header("X-Trace-Id");
    }

    /** The records of {@code trace} in {@code service}, once there are at least {@code n}. */
    private static Records records(ChildJvm.Running service, String trace, int n) {
        return service.awaitTrace(trace, n, WAIT_S);
    }
}
