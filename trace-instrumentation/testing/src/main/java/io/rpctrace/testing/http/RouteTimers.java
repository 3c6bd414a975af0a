package io.rpctrace.testing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;

/**
 * The shared check that a server's module timers key on the route template, never on the URL
 * (docs/metrics.md): requests to three URLs of one route make {@code metric.timer} records of
 * {@code x_module} = the route and {@code x_action = request.info}, counting them, and no timer
 * is keyed on a URL with one of the ids in it. The server's agent must flush metrics every
 * second ({@code metrics.interval.s=1}).
 *
 * <pre>{@code
 * RouteTimers.keyOnTheRoute(port, "/users/", "GET /users/{id}");
 * }</pre>
 */
public final class RouteTimers {
    private RouteTimers() {
    }

    /** GETs {@code pathPrefix + 1..3} and checks the timers of {@code route} (e.g. {@code GET /users/{id}}). */
    public static void keyOnTheRoute(int port, String pathPrefix, String route) {
        AgentRecords agent = AgentRecords.start();
        for (int id = 1; id <= 3; id++) {
            assertEquals(200, RawHttp.get(port, pathPrefix + id).status());
        }
        Records timers = AwaitRecords.until(agent, x -> x.named("metric.timer").module(route).size() >= 1)
                .named("metric.timer");
        long count = 0;
        for (TraceRecord t : timers.module(route).list()) {
            assertEquals("request.info", t.string("x_action"), t.line());
            count += ((Number) t.extra("count")).longValue();
        }
        assertTrue(count >= 1, timers.toString());
        for (TraceRecord t : timers.list()) {
            String module = t.string("x_module");
            for (int id = 1; id <= 3; id++) {
                assertFalse(module != null && module.contains(pathPrefix + id),
                        "a URL with an id became a metric key: " + t.line());
            }
        }
    }
}
