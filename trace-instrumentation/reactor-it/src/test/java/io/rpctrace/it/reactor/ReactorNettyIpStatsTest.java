package io.rpctrace.it.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.TraceRecord;
import io.rpctrace.testing.http.IpTraffic;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code metric.ip} of Reactor Netty's {@code HttpServer} (docs/metrics.md): per client IP
 * (X-Forwarded-For's left-most entry, else X-Real-IP, else the TCP peer) and per window, exact
 * requests, errors (5xx), bad requests (400), request bytes ({@code Content-Length}; a chunked body
 * counts 0) and response bytes, as for the JDK server and Tomcat (metrics-it, the same traffic);
 * the 1 s windows add up to the 1 h window. And the path templates of {@code HttpServer.route(...)}
 * key the {@code request.info} timers.
 */
class ReactorNettyIpStatsTest {
    @Test
    void everyClientIpHasExactFiguresInEachWindow() {
        ChildJvm.Result run = ChildJvm.withAgent()
                .agentArgs("service=reactor-it,ipstats.windows=1s;1h,metrics.interval.s=1")
                .main(ReactorNettyIpScenario.class).run().assertExitCode(0);
        List<TraceRecord> all = run.records();
        // Reactor Netty: a chunked request body is not counted (docs/instrumentation/reactive.md)
        Map<String, Map<String, Long>> want = IpTraffic.expected(false);
        List<TraceRecord> ips = all.stream().filter(r -> "metric.ip".equals(r.name())).collect(Collectors.toList());
        assertEquals(want, IpTraffic.perIp(ips, 3600), "the 1 h window (written at shutdown)");
        assertEquals(want, IpTraffic.perIp(ips, 1), "the 1 s windows together (rolled while serving, the last at shutdown)");
        assertTrue(ips.stream().filter(r -> ((Number) r.extra("window_s")).longValue() == 1)
                .map(r -> r.fields().get("x_timestamp_ms")).distinct().count() >= 2, "the traffic fell into at least two 1 s windows");

        Set<String> routes = all.stream()
                .filter(r -> "metric.timer".equals(r.name()) && "request.info".equals(r.string("x_action")))
                .map(r -> String.valueOf(r.string("x_module"))).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(Set.of("GET /{what}", "POST /{what}"), routes);
    }
}
