package io.rpctrace.it.servletwebflux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Spring WebFlux on Tomcat with the packaged agent: the {@code servlet} module writes the request's
 * {@code request.info}, the {@code spring-webflux} module gives it the route template as
 * {@code x_module}, for an annotated and a functional route, as on Reactor Netty.
 */
@ExtendWith(NoInstrumentationErrors.class)
class TomcatHostedWebFluxTest {
    private static final TomcatHostedApp APP = new TomcatHostedApp();
    private static int port;
    private AgentRecords agent;

    @BeforeAll
    static void start() throws Exception {
        port = APP.start();
    }

    @AfterAll
    static void stop() throws Exception {
        APP.stop();
    }

    @BeforeEach
    void mark() {
        agent = AgentRecords.start();
    }

    private Records served(String traceId) {
        return AwaitRecords.until(agent, rs -> rs.inTrace(traceId).named("request.info").size() >= 1)
                .inTrace(traceId);
    }

    @Test
    void anAnnotatedRoutesTemplateIsTheModule() {
        RawHttp.Response r = RawHttp.get(port, "/tc/users/42?x=1", "X-Trace-Id: wft-users", "X-Rpc-Id: 0.4");
        assertEquals(200, r.status(), r.toString());
        assertEquals("user 42", r.body());
        assertEquals("wft-users", r.header("X-Trace-Id"));
        Records t = served("wft-users");
        t.named("request.info").single().hasRpcId("0.4.1").has("x_code", "200")
                .has("x_module", "GET /tc/users/{id}")
                .has("x_action", "http://127.0.0.1:" + port + "/tc/users/42?x=1");
        assertEquals(1, t.size(), t.toString());
    }

    @Test
    void aFunctionalRoutesTemplateIsTheModule() {
        RawHttp.Response r = RawHttp.get(port, "/tc/fn/items/9", "X-Trace-Id: wft-fn");
        assertEquals("item 9", r.body());
        served("wft-fn").named("request.info").single().hasRpcId("0.1").has("x_code", "200")
                .has("x_module", "GET /tc/fn/items/{id}");
    }

    @Test
    void aRequestNoRouteMatchesHasNoModule() {
        RawHttp.Response r = RawHttp.get(port, "/tc/nothing/here", "X-Trace-Id: wft-404");
        assertEquals(404, r.status(), r.toString());
        String module = served("wft-404").named("request.info").single().has("x_code", "404").record()
                .string("x_module");
        assertFalse(String.valueOf(module).contains("/tc/"), module); // never the URL
    }
}
