package io.rpctrace.instrumentation.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.config.Config;
import io.rpctrace.internal.Tracing;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The helpers behind the async Apache client, Spring MVC routes and chunked response lengths. */
class AsyncClientCallsTest {
    private CollectingWriter writer;

    @BeforeEach
    void start() {
        writer = new CollectingWriter();
        Tracing.start(Config.of(Collections.emptyMap()), writer);
    }

    private String last() {
        List<String> lines = writer.lines();
        return lines.get(lines.size() - 1);
    }

    @Test
    void aCallExpectedOnTheCallersThreadEndsWhenItsOwnerSeesTheResponse() throws Exception {
        Object consumer = new Object();
        String[] inCallback = new String[1];
        @SuppressWarnings("unchecked")
        Consumer<String> callback;
        try (Span req = Trace.enter("t1", "0.6")) {
            callback = (Consumer<String>) AsyncClientCalls.expect(consumer, Consumer.class,
                    (Consumer<String>) s -> inCallback[0] = Trace.rpcId());
            Span call = AsyncClientCalls.start("GET", "http://h:81/x?token=abc", "127.0.0.1", 81);
            assertEquals("0.6.2", call.rpcId());
            assertNull(AsyncClientCalls.start("GET", "http://h:81/retry", "127.0.0.1", 81), "one call per expect");
            AsyncClientCalls.done();
        }
        Thread io = new Thread(() -> {
            AsyncClientCalls.response(consumer, 200, 5);
            callback.accept("done");
        });
        io.start();
        io.join();
        String line = last();
        assertTrue(line.startsWith("{\"x_name\":\"http.get\",\"x_trace_id\":\"t1\",\"x_rpc_id\":\"0.6.2\""), line);
        assertTrue(line.contains("\"x_host\":\"127.0.0.1:81\"") && line.contains("\"x_response_len\":5")
                && line.contains("token=***"), line);
        assertEquals("0.6.3.1", inCallback[0], "the callback runs in a child scope made after the call's id");
        int n = writer.lines().size();
        AsyncClientCalls.response(consumer, 200, 5);
        assertEquals(n, writer.lines().size(), "a call ends once");
    }

    @Test
    void aFailureIsClassified() {
        Object consumer = new Object();
        Object callback = new Object();
        assertSame(callback, AsyncClientCalls.expect(consumer, Runnable.class, callback), "outside a scope: unchanged");
        AsyncClientCalls.start("POST", "http://h:1/x", "h", 1);
        AsyncClientCalls.done();
        AsyncClientCalls.failed(consumer, new ConnectException("Connection refused"));
        String line = last();
        assertTrue(line.startsWith("{\"x_name\":\"http.post.error\"") && line.contains("\"x_code\":\"CONNECT_REFUSED\"")
                && line.contains("\"x_host\":\"h:1\""), line);
    }

    @Test
    void aSpringRouteBecomesTheModule() {
        Span s = Trace.enter(null, null);
        HttpRoutes.apply(s, "GET", "/users/{id}");
        HttpServerCalls.end(s, 200, -1, null);
        assertTrue(last().contains("\"x_module\":\"GET /users/{id}\""), last());
        Span t = Trace.enter(null, null);
        HttpRoutes.apply(t, "GET", 42);
        HttpRoutes.apply(t, "GET", "not a route");
        HttpServerCalls.end(t, 200, -1, null);
        assertTrue(!last().contains("x_module"), last());
    }

    @Test
    void bytesWrittenAreCountedOrReadFromTheContainer() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream out = CountingOutputStream.wrap(sink);
        assertSame(out, CountingOutputStream.wrap(out));
        out.write('a');
        out.write("bcdef".getBytes(), 1, 3);
        assertEquals(4, CountingOutputStream.count(out));
        assertEquals("acde", sink.toString());
        assertEquals(-1, CountingOutputStream.count(sink));

        assertEquals(12, ResponseBytes.of(new TomcatLike(), "12"), "Content-Length wins");
        assertEquals(7, ResponseBytes.of(new TomcatLike(), null));
        assertEquals(-1, ResponseBytes.of(new Object(), null));
    }

    /** The shape of Tomcat's ResponseFacade. */
    public static final class TomcatLike {
        public long getContentWritten() {
            return 7;
        }
    }
}
