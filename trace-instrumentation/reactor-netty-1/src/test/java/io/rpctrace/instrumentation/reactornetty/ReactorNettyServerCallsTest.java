package io.rpctrace.instrumentation.reactornetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.instrumentation.http.HttpServerCalls;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a framework adds to a served request through {@link ReactorNettyServerCalls}: the route
 * template as {@code x_module}, and the error its handlers rendered, recorded only behind a 5xx;
 * each request ends once.
 */
class ReactorNettyServerCallsTest {
    private CollectingWriter writer;

    @BeforeEach
    void start() {
        writer = CollectingWriter.startTracing();
    }

    @AfterEach
    void stop() {
        CollectingWriter.resetTracing();
    }

    private static Object serve() {
        Object ops = new Object();
        ReactorNettyServerCalls.start(ops, new String[HttpServerCalls.HEADERS.length], "GET", "http", "h:1",
                "/users/42?x=1", "127.0.0.1", "127.0.0.1:1").exitScope();
        return ops;
    }

    @Test
    void theRouteIsTheModuleAndTheUrlStaysTheAction() {
        Object ops = serve();
        ReactorNettyServerCalls.route(ops, "GET", "/users/{id}");
        ReactorNettyServerCalls.completed(ops, 200, 7, null);
        Map<String, Object> r = writer.named("request.info").get(0);
        assertEquals("GET /users/{id}", r.get("x_module"));
        assertEquals("http://h:1/users/42?x=1", r.get("x_action"));
        assertEquals("200", r.get("x_code"));
    }

    @Test
    void aRenderedErrorFailsTheRequestOnlyBehindA5xx() {
        Object notFound = serve();
        ReactorNettyServerCalls.handledError(notFound, new IllegalArgumentException("no item 42"));
        ReactorNettyServerCalls.completed(notFound, 404, -1, null);
        Map<String, Object> answered = writer.named("request.info").get(0);
        assertEquals("404", answered.get("x_code"));
        assertNull(answered.get("x_msg"));

        Object boom = serve();
        ReactorNettyServerCalls.handledError(boom, new IllegalStateException("boom"));
        ReactorNettyServerCalls.handledError(boom, new IllegalStateException("rethrown by the next handler"));
        ReactorNettyServerCalls.completed(boom, 500, -1, null);
        List<Map<String, Object>> failed = writer.named("request.info.error");
        assertEquals(1, failed.size(), writer.lines().toString());
        assertEquals("500", failed.get(0).get("x_code"));
        assertTrue(String.valueOf(failed.get(0).get("x_msg")).contains("boom"), failed.get(0).toString());
        assertFalse(String.valueOf(failed.get(0).get("x_msg")).contains("rethrown"), failed.get(0).toString());
    }

    @Test
    void aRequestEndsOnceAndAnUnknownRequestIsLeftAlone() {
        Object ops = serve();
        ReactorNettyServerCalls.completed(ops, 200, -1, null);
        ReactorNettyServerCalls.cancelled(ops);
        ReactorNettyServerCalls.route(ops, "GET", "/late");
        ReactorNettyServerCalls.route(new Object(), "GET", "/other");
        ReactorNettyServerCalls.handledError(null, new IllegalStateException());
        assertEquals(1, writer.lines().size(), writer.lines().toString());
        assertFalse(ReactorNettyServerCalls.serving(ops));
    }
}
