package io.rpctrace.it.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.rpctrace.Trace;
import io.rpctrace.context.TraceId;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import io.rpctrace.testing.http.Backend;
import io.rpctrace.testing.http.TestClient;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three services: A (JDK HttpServer) calls B with HttpURLConnection, B (JDK HttpServer) calls C
 * with the JDK HttpClient, C ({@link Backend}) echoes the headers it received. One trace, the
 * ids of docs/model.md#the-rules, interop headers forwarded (docs/propagation.md#interop),
 * debug mode end to end (agent argument {@code debug.token=s3cret-debug}).
 */
@ExtendWith(NoInstrumentationErrors.class)
class ChainTest {
    static final String SECRET = "s3cret-debug";
    static HttpServer a;
    static HttpServer b;
    static final Backend c = Backend.get();

    @BeforeAll
    static void start() throws Exception {
        b = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        b.createContext("/b", ex -> {
            Trace.debug("service_b", "B calls C");
            String body;
            try {
                body = TestClient.jdkSync(JdkHttpClientTest.CLIENT).get(c.url("/debug")).body();
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
            Backend.respond(ex, 200, body);
        });
        b.start();
        a = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        a.createContext("/a", ex -> {
            Trace.debug("service_a", "A calls B");
            String body;
            try {
                body = TestClient.urlConnection().get("http://127.0.0.1:" + b.getAddress().getPort() + "/b").body();
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
            Backend.respond(ex, 200, body);
        });
        a.start();
    }

    @AfterAll
    static void stop() {
        a.stop(0);
        b.stop(0);
    }

    private static Map<String, String> callA(String... headers) {
        RawHttp.Response r = RawHttp.get(a.getAddress().getPort(), "/a", headers);
        assertEquals(200, r.status(), r.body());
        return Backend.echoed(r.body());
    }

    @Test
    void aChainOfThreeServicesIsOneTraceWithTheIdsOfSpec1() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        Map<String, String> atC = callA("X-Trace-Id: " + trace, "X-Rpc-Id: 0.7");
        assertEquals(trace, atC.get("x-trace-id"));
        assertEquals("0.7.2.2", atC.get("x-rpc-id"));

        Records t = AwaitRecords.until(agent, r -> r.inTrace(trace).size() >= 5).inTrace(trace);
        assertEquals(List.of("0.7.1", "0.7.2", "0.7.2.1", "0.7.2.2", "0.7.2.2.1"), t.rpcIds(), t.toString());
        TraceRecord servedA = t.named("request.info").where(r -> r.rpcId().equals("0.7.1")).single().record(); // A
        assertNull(servedA.string("x_response"), "capture.response is off and this is no debug trace");
        t.named("http.get").where(r -> r.rpcId().equals("0.7.2")).single();         // A -> B
        t.named("request.info").where(r -> r.rpcId().equals("0.7.2.1")).single();   // B
        t.named("http.get").where(r -> r.rpcId().equals("0.7.2.2")).single()        // B -> C
                .has("x_host", "127.0.0.1:" + c.port());
        t.named("request.info").where(r -> r.rpcId().equals("0.7.2.2.1")).single(); // C
        assertEquals(0, t.named("log.debug").size(), "no debug records outside debug mode");
        t.assertUniqueIds();
    }

    @Test
    void interopHeadersTravelTheWholeChainUnchanged() {
        AgentRecords agent = AgentRecords.start();
        String w3c = TraceId.generate();
        Map<String, String> atC = callA("traceparent: 00-" + w3c + "-00f067aa0ba902b7-01", "tracestate: congo=t61rcWkgMzE",
                "X-B3-TraceId: " + w3c, "X-B3-SpanId: 00f067aa0ba902b7", "X-B3-Sampled: 1",
                "x-request-id: req-42");
        assertEquals(w3c, atC.get("x-trace-id"), "traceparent wins over B3 and x-request-id");
        assertEquals("congo=t61rcWkgMzE", atC.get("tracestate"));
        assertEquals(w3c, atC.get("x-b3-traceid"));
        assertEquals("00f067aa0ba902b7", atC.get("x-b3-spanid"));
        assertEquals("req-42", atC.get("x-request-id"));
        assertTrue(atC.get("traceparent").startsWith("00-" + w3c + "-"), atC.get("traceparent"));
        Records t = AwaitRecords.until(agent, r -> r.inTrace(w3c).size() >= 5).inTrace(w3c);
        assertEquals(List.of("0.1", "0.2", "0.2.1", "0.2.2", "0.2.2.1"), t.rpcIds());
    }

    @Test
    void debugModeWithTheRightTokenReachesEveryServiceAndTheSecretNoHeaderOrRecord() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        Map<String, String> atC = callA("X-Trace-Id: " + trace, "X-Debug: 1", "X-Debug-Token: " + SECRET);
        assertEquals("1", atC.get("x-debug"));
        String token = atC.get("x-debug-token");
        assertNotNull(token, "a trace-bound token travels downstream");
        assertFalse(token.contains(SECRET));
        assertTrue(token.matches("[0-9a-f]{64}"), token);
        for (String v : atC.values()) {
            assertFalse(v.contains(SECRET), "the secret reached service C in a header: " + atC);
        }
        Records t = AwaitRecords.until(agent, r -> r.inTrace(trace).size() >= 8).inTrace(trace);
        assertEquals(List.of("service_a", "service_b", "backend"),
                t.named("log.debug").list().stream().map(r -> r.string("x_module")).sorted((x, y) ->
                        List.of("service_a", "service_b", "backend").indexOf(x)
                                - List.of("service_a", "service_b", "backend").indexOf(y)).toList(), t.toString());
        t.named("log.debug").module("service_a").single().hasRpcId("0.1");
        t.named("log.debug").module("service_b").single().hasRpcId("0.2.1");
        t.named("log.debug").module("backend").single().hasRpcId("0.2.2.1");
        assertFalse(t.toString().contains(SECRET), "the secret is in a record");
        // a debug trace records x_response although capture.response is off: A's answer is C's echo
        String response = t.named("request.info").where(r -> r.rpcId().equals("0.1")).single().record()
                .string("x_response");
        assertNotNull(response, t.toString());
        assertTrue(response.contains(trace), response);
    }

    @Test
    void debugModeIsOffWithAWrongOrMissingToken() {
        for (String[] headers : new String[][] {
            {"X-Debug: 1", "X-Debug-Token: wrong-token"},
            {"X-Debug: 1"},
            {"X-Debug: 0", "X-Debug-Token: " + SECRET},
        }) {
            AgentRecords agent = AgentRecords.start();
            String trace = TraceId.generate();
            String[] all = new String[headers.length + 1];
            all[0] = "X-Trace-Id: " + trace;
            System.arraycopy(headers, 0, all, 1, headers.length);
            Map<String, String> atC = callA(all);
            assertNull(atC.get("x-debug-token"), String.join(", ", headers));
            assertNull(atC.get("x-debug"), String.join(", ", headers));
            Records t = AwaitRecords.until(agent, r -> r.inTrace(trace).size() >= 5).inTrace(trace);
            Backend.sleep(100);
            t = Records.of(agent.flush()).inTrace(trace);
            assertEquals(0, t.named("log.debug").size(), String.join(", ", headers) + "\n" + t);
            assertFalse(t.toString().contains(SECRET));
        }
    }
}
