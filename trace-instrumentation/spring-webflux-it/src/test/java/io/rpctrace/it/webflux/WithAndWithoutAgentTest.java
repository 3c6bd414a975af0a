package io.rpctrace.it.webflux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.Servers;
import io.rpctrace.testing.TraceRecord;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The service answers the same with and without the agent (each in a JVM of its own); with it, the
 * {@code metric.ip} figures of the WebFlux server count the requests of the proxied client IP, and
 * the {@code request.info} timers key on route templates, never on a URL with an id in it.
 */
class WithAndWithoutAgentTest {
    private static final List<String> EXPECTED = List.of(
            "/users/42 200 user 42", "/orders/8 200 order 8 ok", "/fn/items/9 200 item 9",
            "/fn/shops/s1/items/i2 200 s1/i2", "/boom/5 500", "/missing/5 404", "/debug/1 200 plain");

    @BeforeAll
    static void servers() {
        Servers.require("mariadb", "127.0.0.1", 3306);
        Servers.require("Redis", "127.0.0.1", 6379);
    }

    @Test
    void theApplicationSeesTheSameWithoutTheAgent() {
        ChildJvm.Result bare = ChildJvm.withoutAgent().main(ShopScenario.class).timeoutSeconds(180).run()
                .assertExitCode(0);
        assertEquals(EXPECTED, bare.lines("RESULT "), bare.stdout());
        ChildJvm.Result traced = ChildJvm.withAgent().agentArgs("service=webflux-it,ipstats.windows=1h")
                .main(ShopScenario.class).timeoutSeconds(180).run().assertExitCode(0);
        assertEquals(EXPECTED, traced.lines("RESULT "), traced.stdout());

        Records all = Records.of(traced.records());
        // the scenario's own requests (each /orders makes two /users-like calls back: /users/8, /flaky/8 twice)
        Records proxied = all.where(r -> "203.0.113.7".equals(r.string("x_client_ip")));
        assertEquals(EXPECTED.size(), proxied.where(r -> r.name().startsWith("request.info")).size(), proxied.toString());
        List<TraceRecord> ip = all.named("metric.ip").where(r -> "203.0.113.7".equals(r.string("x_client_ip"))).list();
        assertEquals(1, ip.size(), all.named("metric.ip").toString());
        assertEquals(EXPECTED.size(), ((Number) ip.get(0).extra("requests")).longValue(), ip.get(0).line());
        assertEquals(1L, ((Number) ip.get(0).extra("errors")).longValue(), ip.get(0).line());

        Set<String> routes = all.named("metric.timer").where(r -> "request.info".equals(r.string("x_action"))).list()
                .stream().map(r -> r.string("x_module")).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(routes.containsAll(Set.of("GET /users/{id}", "GET /orders/{id}", "GET /fn/items/{id}",
                "GET /fn/shops/{shop}/items/{item}", "GET /boom/{id}", "GET /missing/{id}", "GET /debug/{id}",
                "GET /flaky/{key}")), routes.toString());
        assertFalse(routes.stream().anyMatch(m -> m.matches(".*/\\d.*")), routes.toString());
    }
}
