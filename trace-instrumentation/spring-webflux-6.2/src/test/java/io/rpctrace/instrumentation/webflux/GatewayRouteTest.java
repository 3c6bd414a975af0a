package io.rpctrace.instrumentation.webflux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** What names a request Spring Cloud Gateway routed (its exchange attributes as plain values). */
class GatewayRouteTest {
    @Test
    void thePathPatternOfTheChosenRoute() {
        assertEquals("/api/catalog/**", WebFluxServerCalls.gatewayRoute("catalog", "/api/catalog/**", "catalog"));
        // a Java-DSL route's Path predicate may not know its route id
        assertEquals("/api/catalog/**", WebFluxServerCalls.gatewayRoute("catalog", "/api/catalog/**", null));
    }

    @Test
    void aPatternLeftByAnotherRouteIsNotTheRequestsName() {
        // route "writes" matched the path but not the method; route "all" (a Host predicate) was chosen
        assertEquals("route all", WebFluxServerCalls.gatewayRoute("all", "/api/**", "writes"));
        assertEquals("route all", WebFluxServerCalls.gatewayRoute("all", null, null));
    }

    /** A stand-in for the gateway's Route: only its public getId() is read. */
    public static final class Route {
        public String getId() {
            return "catalog";
        }
    }

    @Test
    void theRoutesIdIsReadFromTheRouteObject() {
        assertEquals("catalog", WebFluxServerCalls.gatewayRouteId(new Route()));
        assertNull(WebFluxServerCalls.gatewayRouteId("a string has no getId"));
        assertNull(WebFluxServerCalls.gatewayRouteId(null));
    }

    @Test
    void noRouteNoName() {
        assertNull(WebFluxServerCalls.gatewayRoute(null, "/api/**", "writes"));
    }
}
