package io.rpctrace.it.http;

import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.RawHttp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.context.TraceId;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import io.rpctrace.testing.http.Backend;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Served requests of the JDK {@code HttpServer} (module {@code jdk-http-server}), driven by a
 * raw socket client that sends exactly the headers under test.
 */
@ExtendWith(NoInstrumentationErrors.class)
class JdkHttpServerTest {
    final Backend backend = Backend.get();

    private Records served(AgentRecords agent, String trace) {
        return AwaitRecords.until(agent, r -> r.inTrace(trace).size() >= 1).inTrace(trace);
    }

    @Test
    void aServedRequestIsOneRequestInfoWithTheCallersIdsAndItsFields() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        RawHttp.Response r = RawHttp.get(backend.port(), "/echo?a=1&password=hunter2",
                "X-Trace-Id: " + trace, "X-Rpc-Id: 0.3",
                "X-Forwarded-For: 203.0.113.9, 10.0.0.1", "User-Agent: it-agent/1.0",
                "Referer: http://shop.example/cart", "Authorization: Bearer sekret-bearer",
                "Cookie: session=sekret-cookie");
        assertEquals(200, r.status());
        assertEquals(trace, r.header("X-Trace-Id"));
        TraceRecord rec = served(agent, trace).named("request.info").single().hasRpcId("0.3.1")
                .has("x_code", "200")
                .has("x_action", "http://127.0.0.1:" + backend.port() + "/echo?a=1&password=***")
                .has("x_client_ip", "203.0.113.9")
                .has("x_user_agent", "it-agent/1.0")
                .has("x_source", "http://shop.example/cart")
                .has("x_server_ip", "127.0.0.1:" + backend.port())
                .has("x_response_len", String.valueOf(r.body().getBytes(StandardCharsets.UTF_8).length))
                .has("x_param", "{\"a\":\"1\",\"password\":\"***\"}")
                .record();
        assertTrue(rec.fields().containsKey("x_duration"));
        assertFalse(rec.line().contains("sekret") || rec.line().contains("hunter2"), rec.line());
    }

    @Test
    void withoutHeadersTheQueryStringCarriesTheIds() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        RawHttp.Response r = RawHttp.get(backend.port(), "/echo?x_trace_id=" + trace + "&x_rpc_id=0.5");
        assertEquals(trace, r.header("X-Trace-Id"));
        served(agent, trace).named("request.info").single().hasRpcId("0.5.1");
    }

    @Test
    void headersWinOverTheQueryString() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        RawHttp.get(backend.port(), "/echo?x_trace_id=" + TraceId.generate() + "&x_rpc_id=0.9",
                "X-Trace-Id: " + trace, "X-Rpc-Id: 0.2");
        served(agent, trace).named("request.info").single().hasRpcId("0.2.1");
    }

    @Test
    void aW3cTraceparentJoinsItsTrace() {
        AgentRecords agent = AgentRecords.start();
        String w3c = "4bf92f3577b34da6a3ce929d0e0e4736".substring(0, 16) + TraceId.generate().substring(16);
        RawHttp.Response r = RawHttp.get(backend.port(), "/echo",
                "traceparent: 00-" + w3c + "-00f067aa0ba902b7-01", "tracestate: vendor=x");
        assertEquals(w3c, r.header("X-Trace-Id"));
        served(agent, w3c).named("request.info").single().hasRpcId("0.1");
    }

    @Test
    void b3HeadersJoinTheirTrace() {
        AgentRecords agent = AgentRecords.start();
        String b3 = TraceId.generate().substring(0, 16);
        RawHttp.Response r = RawHttp.get(backend.port(), "/echo", "X-B3-TraceId: " + b3,
                "X-B3-SpanId: 00f067aa0ba902b7", "X-B3-Sampled: 1");
        assertEquals(b3, r.header("X-Trace-Id"));
        served(agent, b3).named("request.info").single().hasRpcId("0.1");

        String single = TraceId.generate();
        RawHttp.get(backend.port(), "/echo", "b3: " + single + "-00f067aa0ba902b7-1");
        served(agent, single).named("request.info").single().hasRpcId("0.1");
    }

    @Test
    void anEnvoyRequestIdJoinsAsATraceId() {
        AgentRecords agent = AgentRecords.start();
        String uuid = "2f4a3c1e-9b7d-4e2a-8c5f-1a2b3c4d5e6f";
        RawHttp.Response r = RawHttp.get(backend.port(), "/echo", "x-request-id: " + uuid);
        assertEquals(uuid.replace("-", ""), r.header("X-Trace-Id"));
        served(agent, uuid.replace("-", "")).named("request.info").single().hasRpcId("0.1");
    }

    @Test
    void hostileHeadersGiveANewValidTraceAndValidJson() {
        String[][] hostile = {
            {"X-Trace-Id: " + "a".repeat(10_000), "X-Rpc-Id: 0.1"},                   // oversized
            {"X-Trace-Id: " + TraceId.generate().substring(0, 8) + "!$", "X-Rpc-Id: 0.2"}, // bad trace id
            {"X-Trace-Id: ", "X-Rpc-Id: 0.01.x"},                                    // bad RPCID, empty trace
            {"X-Rpc-Id: " + "1.".repeat(100) + "1"},                                 // too deep
            {"X-Trace-Id: abc\u00c3\u0028\u00ff", "User-Agent: \u00c3\u0028 evil \u00ff\u00fe"}, // invalid UTF-8 bytes
            {"X-Trace-Id: abc\tdef", "Referer: x\u0000y"},                           // control characters
        };
        for (String[] headers : hostile) {
            AgentRecords agent = AgentRecords.start();
            RawHttp.Response r = RawHttp.get(backend.port(), "/echo", headers);
            String trace = r.header("X-Trace-Id");
            assertTrue(trace != null && trace.matches("[0-9a-f]{32}"), "a new trace id, not " + trace);
            served(agent, trace).named("request.info").single().hasRpcId("0.1");
        }
        // CR/LF through the query-string fallback (a header cannot carry them)
        AgentRecords agent = AgentRecords.start();
        RawHttp.Response r = RawHttp.get(backend.port(), "/echo?x_trace_id=abc%0D%0AX-Evil:%201&x_rpc_id=0.1%0d%0a");
        String trace = r.header("X-Trace-Id");
        assertTrue(trace.matches("[0-9a-f]{32}"), trace);
        assertEquals(null, r.header("X-Evil"));
        TraceRecord rec = served(agent, trace).named("request.info").single().hasRpcId("0.1").record();
        assertFalse(rec.line().contains("\r") || rec.line().contains("\n"));
    }

    @Test
    void aHandlerThatThrowsIsAnErrorWithStatus500() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        try {
            RawHttp.get(backend.port(), "/throws", "X-Trace-Id: " + trace);
        } catch (RuntimeException | AssertionError e) {
            // the JDK server closes the connection without a response
        }
        TraceRecord rec = served(agent, trace).named("request.info.error").single().hasRpcId("0.1")
                .has("x_code", "500").record();
        assertTrue(rec.string("x_msg").contains("handler failed"), rec.line());
    }

    @Test
    void distinctRequestsWithoutIdsGetDistinctTraces() {
        RawHttp.Response a = RawHttp.get(backend.port(), "/echo");
        RawHttp.Response b = RawHttp.get(backend.port(), "/echo");
        assertNotEquals(a.header("X-Trace-Id"), b.header("X-Trace-Id"));
    }

    @Test
    void aChunkedResponseHasTheBytesTheHandlerWrote() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        RawHttp.Response r = RawHttp.get(backend.port(), "/chunked", "X-Trace-Id: " + trace);
        assertEquals(200, r.status());
        assertEquals(null, r.header("Content-Length"));
        served(agent, trace).named("request.info").single().hasRpcId("0.1")
                .has("x_response_len", String.valueOf("chunk one,chunk two".length()));
    }
}
