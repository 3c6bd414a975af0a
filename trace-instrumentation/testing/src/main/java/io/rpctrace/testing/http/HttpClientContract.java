package io.rpctrace.testing.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scenarios every HTTP client instrumentation passes (Brave's {@code ITHttpClient}): a test
 * class names its client and inherits them. Servers are real, on 127.0.0.1: the {@link Backend}
 * (itself a traced JDK HttpServer) and {@link FaultyServer}s. Runs with the packaged agent.
 *
 * <pre>{@code
 * class OkHttpTest extends HttpClientContract {
 *     protected TestClient client() { return (method, url, headers, body, timeoutMs) -> ...; }
 * }
 * }</pre>
 */
@ExtendWith(NoInstrumentationErrors.class)
public abstract class HttpClientContract {
    /** A generated trace id. */
    protected static final String TRACE_32_HEX = "[0-9a-f]{32}";
    private static FaultyServer emptyReply;
    private static FaultyServer reset;
    private static FaultyServer hang;
    private static FaultyServer plainHttp;

    /** The server the calls go to. */
    protected final Backend backend = Backend.get();

    /** The client under test. */
    protected abstract TestClient client();

    /** Whether a READ_TIMEOUT of this client is told apart from other timeouts (all are, so far). */
    protected String readTimeoutClass() {
        return "READ_TIMEOUT";
    }

    @BeforeAll
    public static void faultyServers() {
        emptyReply = new FaultyServer(FaultyServer.Mode.EMPTY_REPLY);
        reset = new FaultyServer(FaultyServer.Mode.RESET);
        hang = new FaultyServer(FaultyServer.Mode.HANG);
        plainHttp = new FaultyServer(FaultyServer.Mode.PLAIN_HTTP);
    }

    @AfterAll
    public static void closeFaultyServers() throws Exception {
        for (FaultyServer s : new FaultyServer[] {emptyReply, reset, hang, plainHttp}) {
            s.close();
        }
    }

    @Test
    public void aCallInsideARequestTakesTheNextIdAndCarriesItDownstream() throws Exception {
        AgentRecords agent = AgentRecords.start();
        String trace;
        TestClient.Response r;
        String url = backend.url("/echo?id=7&access_token=abc");
        try (Span req = Trace.enter(io.rpctrace.context.TraceId.generate(), "0.4")) {   // this service: 0.4.1
            trace = Trace.traceId();
            r = client().get(url);                                           // the call: 0.4.2
        }
        Map<String, String> sent = Backend.echoed(r.body());
        assertEquals(trace, sent.get("x-trace-id"));
        assertEquals("0.4.2", sent.get("x-rpc-id"));
        assertTrue(sent.get("traceparent").matches("00-" + trace + "-[0-9a-f]{16}-01"), sent.get("traceparent"));
        assertEquals(trace, r.traceIdHeader(), "the server's X-Trace-Id response header");

        Records t = AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 3).inTrace(trace);
        TraceRecord call = t.named("http.get").single().hasRpcId("0.4.2").has("x_code", "200")
                .has("x_host", "127.0.0.1:" + backend.port())
                .has("x_action", backend.url("/echo?id=7&access_token=***"))
                .has("x_response_len", String.valueOf(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length))
                .record();
        assertNotNull(call.fields().get("x_duration"));
        t.where(x -> "0.4.2.1".equals(x.rpcId())).named("request.info").single().has("x_code", "200");
        t.assertUniqueIds();
    }

    @Test
    public void theApplicationsOwnIdHeadersAreReplacedByTheCalls() throws Exception {
        // a proxy (Spring Cloud Gateway Server MVC) passes its caller's headers on: the server
        // must receive this call's ids only, once each (docs/propagation.md#headers, rule 2)
        String trace;
        TestClient.Response r;
        try (Span req = Trace.enter(io.rpctrace.context.TraceId.generate(), "0.4")) {
            trace = Trace.traceId();
            r = client().send("GET", backend.url("/echo"), Map.of("X-Trace-Id", "caller-trace-17", "x-rpc-id", "0.9"),
                    null, 5000);
        }
        assertEquals(List.of("x-trace-id: " + trace), linesOf(r.body(), "x-trace-id:"), r.body());
        assertEquals(List.of("x-rpc-id: 0.4.2"), linesOf(r.body(), "x-rpc-id:"), r.body());
    }

    @Test
    public void theInteropHeadersTheApplicationsTracerPutAreKept() throws Exception {
        // Micrometer Tracing or an OpenTelemetry SDK in the application wrote its own context for
        // this call: the server receives it as written, once, beside this call's ids; an interop
        // header the application did not write is still this call's (docs/propagation.md#headers)
        String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        Map<String, String> served = Map.of("x-trace-id", io.rpctrace.context.TraceId.generate(), "x-rpc-id", "0.4",
                "tracestate", "up=1", "x-request-id", "req-from-the-edge");
        String trace;
        TestClient.Response r;
        try (Span req = Trace.enter(h -> served.get(h.toLowerCase(java.util.Locale.ROOT)))) {
            trace = Trace.traceId();
            r = client().send("GET", backend.url("/echo"), Map.of("traceparent", own, "tracestate", "app=1"), null, 5000);
        }
        assertEquals(List.of("traceparent: " + own), linesOf(r.body(), "traceparent:"), r.body());
        assertEquals(List.of("tracestate: app=1"), linesOf(r.body(), "tracestate:"), r.body());
        assertEquals(List.of("x-request-id: req-from-the-edge"), linesOf(r.body(), "x-request-id:"), r.body());
        assertEquals(List.of("x-trace-id: " + trace), linesOf(r.body(), "x-trace-id:"), r.body());
        assertEquals(List.of("x-rpc-id: 0.4.2"), linesOf(r.body(), "x-rpc-id:"), r.body());
    }

    private static List<String> linesOf(String echoed, String prefix) {
        return echoed.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
    }

    @Test
    public void aPostIsHttpPost() throws Exception {
        AgentRecords agent = AgentRecords.start();
        String trace;
        try (Span req = Trace.enter(null, null)) {
            trace = Trace.traceId();
            client().send("POST", backend.url("/echo"), Map.of("Content-Type", "text/plain"), "hello", 5000);
        }
        Records t = AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 3).inTrace(trace);
        t.named("http.post").single().hasRpcId("0.2").has("x_code", "200");
        t.where(x -> "0.2.1".equals(x.rpcId())).named("request.info").single().has("x_extra", "{method=POST}");
    }

    @Test
    public void anErrorStatusWritesAnErrorRecordWithTheStatus() throws Exception {
        AgentRecords agent = AgentRecords.start();
        String trace;
        TestClient.Response r;
        try (Span req = Trace.enter(null, null)) {
            trace = Trace.traceId();
            r = client().get(backend.url("/status/503"));
        }
        assertEquals(503, r.status());
        Records t = AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 3).inTrace(trace);
        t.named("http.get.error").single().hasRpcId("0.2").has("x_code", "503");
        // a client may retry a 503 inside one call (Apache HttpClient 5 does, after 1 s): every
        // attempt is served under the call's id, and the call is still one record
        Records served = t.named("request.info.error");
        assertTrue(served.size() >= 1, t.toString());
        served.list().forEach(x -> assertEquals("0.2.1 503", x.rpcId() + " " + x.string("x_code")));
    }

    @Test
    public void outsideAnyScopeTheCallStartsATraceTheServerContinues() throws Exception {
        AgentRecords agent = AgentRecords.start();
        TestClient.Response r = client().get(backend.url("/echo"));
        String trace = Backend.echoed(r.body()).get("x-trace-id");
        assertTrue(trace.matches(TRACE_32_HEX), trace);
        Records t = AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 2).inTrace(trace);
        t.named("http.get").single().hasRpcId("0.1");
        t.named("request.info").single().hasRpcId("0.1.1");
        assertEquals(trace, r.traceIdHeader());
    }

    // ---- failure classes, real sockets on loopback ----

    @Test
    public void peerClosingBeforeAnyResponseByteIsEmptyReply() {
        failsAs("http://127.0.0.1:" + emptyReply.port() + "/x", 5000, "EMPTY_REPLY");
    }

    @Test
    public void peerResettingIsConnectionReset() {
        failsAs("http://127.0.0.1:" + reset.port() + "/x", 5000, "CONNECTION_RESET");
    }

    @Test
    public void closedPortIsConnectRefused() {
        failsAs("http://127.0.0.1:" + FaultyServer.closedPort() + "/x", 5000, "CONNECT_REFUSED");
    }

    @Test
    public void serverThatNeverAnswersIsReadTimeout() {
        failsAs("http://127.0.0.1:" + hang.port() + "/x", 500, readTimeoutClass());
    }

    @Test
    public void unresolvableNameIsDnsFailureAndFailsFast() {
        long t0 = System.nanoTime();
        failsAs("http://nonexistent.invalid:8080/x", 5000, "DNS_FAILURE");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(ms < 5000, "DNS failure took " + ms + " ms");
    }

    @Test
    public void tlsToAPlainServerIsTlsFailure() {
        failsAs("https://127.0.0.1:" + plainHttp.port() + "/x", 5000, "TLS_FAILURE");
    }

    private void failsAs(String url, int timeoutMs, String expectedClass) {
        AgentRecords agent = AgentRecords.start();
        String trace;
        try (Span req = Trace.enter(null, null)) {
            trace = Trace.traceId();
            assertThrows(Exception.class, () -> client().send("GET", url, Map.of(), null, timeoutMs));
        }
        Records t = AwaitRecords.until(agent, x -> x.inTrace(trace).named("http.get.error").size() >= 1).inTrace(trace);
        TraceRecord rec = t.named("http.get.error").single().hasRpcId("0.2").has("x_code", expectedClass).record();
        assertNotNull(rec.string("x_msg"), rec.line());
        assertEquals(1, t.where(x -> x.name().startsWith("http.")).size(), t.toString());
    }
}
