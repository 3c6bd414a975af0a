package io.rpctrace.instrumentation.reactornetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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
    void anAddressIsTextOnceAndTheSameForItsConnection() throws Exception {
        java.net.InetSocketAddress peer = new java.net.InetSocketAddress(java.net.InetAddress.getByName("10.1.2.3"), 5555);
        assertEquals("10.1.2.3", ReactorNettyServerCalls.ip(peer));
        assertEquals("10.1.2.3:5555", ReactorNettyServerCalls.ipPort(peer));
        assertTrue(ReactorNettyServerCalls.ip(peer) == ReactorNettyServerCalls.ip(peer), "kept for the same address");
        java.net.InetSocketAddress v6 = new java.net.InetSocketAddress(java.net.InetAddress.getByName("::1"), 8080);
        assertEquals("[0:0:0:0:0:0:0:1]:8080", ReactorNettyServerCalls.ipPort(v6));
        for (int i = 0; i < 100; i++) {   // other addresses take the slots; each still gets its own text
            java.net.InetSocketAddress a = new java.net.InetSocketAddress(java.net.InetAddress.getByName("10.0.0." + i), i);
            assertEquals("10.0.0." + i + ":" + i, ReactorNettyServerCalls.ipPort(a));
        }
        assertEquals("10.1.2.3", ReactorNettyServerCalls.ip(peer));
        assertNull(ReactorNettyServerCalls.ip(java.net.InetSocketAddress.createUnresolved("nowhere.invalid", 1)));
        assertNull(ReactorNettyServerCalls.ipPort(null));
    }

    @Test
    void theUrlIsTheOriginAndTheTargetWithTheOriginKeptByContent() {
        assertEquals("http://h:1/users/42?x=1", ReactorNettyServerCalls.url("http", "h:1", "/users/42?x=1"));
        assertEquals("http://h:1", ReactorNettyServerCalls.url("http", new String("h:1"), null));
        assertEquals("https://h:1/a", ReactorNettyServerCalls.url("https", "h:1", "/a"), "another scheme, same authority");
        assertEquals("http://h:1/b", ReactorNettyServerCalls.url("http", new String("h:1"), "/b"));
        assertEquals("http://h:10/c", ReactorNettyServerCalls.url("http", "h:10", "/c"));
        for (int i = 0; i < 100; i++) {   // other origins take the slots; each URL is still its own
            String scheme = i % 2 == 0 ? "http" : "https";
            assertEquals(scheme + "://10.0.0." + i + ":" + i + "/" + i,
                    ReactorNettyServerCalls.url(scheme, "10.0.0." + i + ":" + i, "/" + i));
        }
        assertEquals("http://h:1/d", ReactorNettyServerCalls.url("http", "h:1", "/d"));
    }

    @Test
    void aThreadReusesItsHeaderValuesEmptied() throws Exception {
        String[] values = ReactorNettyServerCalls.headerValues();
        assertEquals(HttpServerCalls.HOST_INDEX + 1, values.length);
        values[0] = "a trace id";
        values[HttpServerCalls.HOST_INDEX] = "h:1";
        String[] again = ReactorNettyServerCalls.headerValues();
        assertSame(values, again, "one array per thread, not one per request");
        assertNull(again[0], "the last request's values are gone");
        assertNull(again[HttpServerCalls.HOST_INDEX]);
        String[][] other = new String[1][];
        Thread t = new Thread(() -> other[0] = ReactorNettyServerCalls.headerValues());
        t.start();
        t.join();
        assertNotSame(values, other[0], "each thread its own");
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
