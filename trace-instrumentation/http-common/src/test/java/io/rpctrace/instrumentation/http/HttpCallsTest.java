package io.rpctrace.instrumentation.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.config.Config;
import io.rpctrace.context.TraceId;
import io.rpctrace.internal.Tracing;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.UnresolvedAddressException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpCallsTest {
    private CollectingWriter writer;

    @BeforeEach
    void start() {
        Map<String, String> cfg = new HashMap<>();
        cfg.put("capture.param", "true");
        cfg.put("debug.token", "s3cret");
        writer = new CollectingWriter();
        Tracing.start(Config.of(cfg), writer);
    }

    /** Header values in the order of {@link HttpServerCalls#HEADERS}, as server advice reads them. */
    static String[] headers(String... kv) {
        String[] values = new String[HttpServerCalls.HEADERS.length];
        for (int i = 0; i < kv.length; i += 2) {
            values[Arrays.asList(HttpServerCalls.HEADERS).indexOf(kv[i])] = kv[i + 1];
        }
        return values;
    }

    @Test
    void aServedRequestTakesTheCallersIdsAndWritesItsFields() {
        String trace = TraceId.generate();
        Span s = HttpServerCalls.start(headers("X-Trace-Id", trace, "X-Rpc-Id", "0.2", "X-Forwarded-For", "10.1.2.3",
                        "User-Agent", "ua", "Referer", "http://r/"),
                "GET", "http://h/p?q=1&token=abc", "q=1&token=abc", "127.0.0.9", "127.0.0.1:8080");
        assertEquals(trace, Trace.traceId());
        assertEquals("0.2.1", s.rpcId());
        HttpServerCalls.end(s, 200, 12, null);
        assertEquals("", Trace.traceId(), "the scope is left");
        String line = writer.lines().get(writer.lines().size() - 1);
        assertTrue(line.startsWith("{\"x_name\":\"request.info\",\"x_trace_id\":\"" + trace + "\",\"x_rpc_id\":\"0.2.1\""), line);
        for (String part : new String[] {"\"x_action\":\"http://h/p?q=1&token=***\"", "\"x_client_ip\":\"10.1.2.3\"",
                "\"x_user_agent\":\"ua\"", "\"x_source\":\"http://r/\"", "\"x_server_ip\":\"127.0.0.1:8080\"",
                "\"x_code\":\"200\"", "\"x_response_len\":12", "\"x_param\":\"{\\\"q\\\":\\\"1\\\",\\\"token\\\":\\\"***\\\"}\""}) {
            assertTrue(line.contains(part), part + " in " + line);
        }
        assertFalse(line.contains("abc"));
    }

    @Test
    void aThrowableMakesA500ErrorUnlessAnErrorStatusWasSet() {
        HttpServerCalls.end(HttpServerCalls.start(headers(), "GET", "/", null, null, null), 200, -1,
                new IllegalStateException("boom"));
        assertTrue(writer.lines().get(0).contains("\"x_name\":\"request.info.error\""));
        assertTrue(writer.lines().get(0).contains("\"x_code\":\"500\""));
        HttpServerCalls.end(HttpServerCalls.start(headers(), "GET", "/", null, null, null), 404, -1, null);
        assertTrue(writer.lines().get(1).contains("\"x_name\":\"request.info\""), "4xx is the caller's problem");
    }

    @Test
    void clientHeadersCarryTheCallIdAndATraceBoundDebugToken() {
        String trace = TraceId.generate();
        try (Span req = HttpServerCalls.start(headers("X-Trace-Id", trace, "X-Debug", "1", "X-Debug-Token", "s3cret"),
                "GET", "/", null, null, null)) {
            Span call = HttpClientCalls.start("POST", "http://b/x?password=p");
            List<String> h = Arrays.asList(HttpClientCalls.headers(call));
            assertEquals("0.2", h.get(h.indexOf("X-Rpc-Id") + 1));
            assertEquals(trace, h.get(h.indexOf("X-Trace-Id") + 1));
            assertEquals("1", h.get(h.indexOf("X-Debug") + 1));
            String token = h.get(h.indexOf("X-Debug-Token") + 1);
            assertFalse(token.contains("s3cret"));
            assertEquals(Tracing.get().debugToken().forTrace(trace), token);
            HttpClientCalls.end(call, 201, 5, "10.0.0.1:80");
        }
        String line = writer.lines().get(0);
        assertTrue(line.contains("\"x_name\":\"http.post\""), line);
        assertTrue(line.contains("\"x_action\":\"http://b/x?password=***\""), line);
        assertTrue(line.contains("\"x_host\":\"10.0.0.1:80\""), line);
    }

    @Test
    void failuresAreClassifiedThroughTheCauseChain() {
        IOException emptyAroundReset = new IOException("HTTP/1.1 header parser received no bytes",
                new SocketException("Connection reset"));
        assertEquals(NetworkErrors.CONNECTION_RESET, NetworkErrors.classify(emptyAroundReset, false));
        ConnectException unresolved = new ConnectException();
        unresolved.initCause(new UnresolvedAddressException());
        assertEquals(NetworkErrors.DNS_FAILURE, NetworkErrors.classify(unresolved, true));
        assertEquals("java.net.ConnectException; caused by java.nio.channels.UnresolvedAddressException",
                NetworkErrors.describe(unresolved));

        Span call = HttpClientCalls.start("GET", "http://x/");
        HttpClientCalls.fail(call, emptyAroundReset, false, "x:80");
        String line = writer.lines().get(0);
        assertTrue(line.contains("\"x_name\":\"http.get.error\""), line);
        assertTrue(line.contains("\"x_code\":\"CONNECTION_RESET\""), line);
    }

    @Test
    void smallParsers() {
        assertEquals("{\"a\":\"1\",\"b\":[\"x y\",\"z\"],\"api_key\":\"***\",\"e\":\"\"}",
                QueryParams.toJson("a=1&b=x+y&b=z&api_key=k&e"));
        assertEquals("{\"q\":\"\\\"\\u000a\"}", QueryParams.toJson("q=%22%0A"));
        assertEquals(123, HttpServerCalls.contentLength("123"));
        assertEquals(-1, HttpServerCalls.contentLength("12a"));
        assertEquals(-1, HttpServerCalls.contentLength(null));
        assertEquals("200", HttpServerCalls.code(200));
        assertNull(HttpServerCalls.code(-1));
        assertEquals("127.0.0.1:80", HttpClientCalls.host("127.0.0.1", 80));
        assertEquals("[::1]:8080", HttpClientCalls.host("[::1]", 8080));
        assertEquals("nonexistent.invalid:80", HttpClientCalls.host("nonexistent.invalid", 80));
        assertEquals(443, HttpClientCalls.port("https", -1));
    }

    @Test
    void servedRequestsFeedBytesInOutBadRequestsAndErrorsPerClientIp() throws IOException {
        Map<String, String> cfg = new HashMap<>();
        cfg.put("ipstats.windows", "1h");
        cfg.put("metrics.interval.s", "3600");
        writer = new CollectingWriter();
        Tracing.start(Config.of(cfg), writer);
        HttpServerCalls.end(HttpServerCalls.start(headers("X-Forwarded-For", "10.0.0.1, 10.9.9.9", "Content-Length", "120"),
                "POST", "/", null, "127.0.0.1", null), 200, 30, null);
        HttpServerCalls.end(HttpServerCalls.start(headers("X-Forwarded-For", "10.0.0.1", "Content-Length", "7"),
                "POST", "/", null, "127.0.0.1", null), 400, 11, null);
        HttpServerCalls.end(HttpServerCalls.start(headers("X-Real-IP", "10.0.0.2", "Content-Length", "nonsense"),
                "GET", "/", null, "127.0.0.1", null), 503, 5, null);
        Span chunked = HttpServerCalls.start(headers(), "POST", "/", null, "127.0.0.1", null);
        CountingInputStream body = HttpServerCalls.countingBody(new java.io.ByteArrayInputStream(new byte[1000]));
        assertEquals(1, body.read(new byte[1], 0, 1) + body.skip(0));
        assertTrue(body.read() >= 0);
        assertEquals(998, body.read(new byte[4096], 0, 4096));
        assertEquals(-1, body.read());
        HttpServerCalls.bodyRead(chunked, body);
        HttpServerCalls.end(chunked, 200, -1, null);
        assertEquals(-1, HttpServerCalls.bodyBytesRead(new java.io.ByteArrayInputStream(new byte[3])));
        assertTrue(HttpServerCalls.chunked("gzip, Chunked"));
        assertFalse(HttpServerCalls.chunked("gzip"));

        writer.clear();
        Tracing.get().metrics().close(); // shutdown: the open window is written
        Map<String, Map<?, ?>> byIp = new HashMap<>();
        for (Map<String, Object> r : writer.records()) {
            if ("metric.ip".equals(r.get("x_name"))) {
                byIp.put((String) r.get("x_client_ip"), (Map<?, ?>) r.get("x_extra"));
            }
        }
        assertEquals(3, byIp.size(), byIp.toString());
        Map<?, ?> a = byIp.get("10.0.0.1");
        assertEquals(2L, a.get("requests"));
        assertEquals(127L, a.get("bytes_in"));
        assertEquals(41L, a.get("bytes_out"));
        assertEquals(1L, a.get("bad_requests"));
        assertEquals(0L, a.get("errors"));
        assertEquals(64L, a.get("bytes_in_per_request"));
        Map<?, ?> b = byIp.get("10.0.0.2");
        assertEquals(0L, b.get("bytes_in"), "a Content-Length that is not a number counts nothing");
        assertEquals(1L, b.get("errors"));
        assertEquals(1000L, byIp.get("127.0.0.1").get("bytes_in"), "the chunked body as read");
    }
}
