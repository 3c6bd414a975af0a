package io.rpctrace.it.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.http.Backend;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Request;
import okhttp3.Response;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three services with other clients than {@link ChainTest}: A (JDK HttpServer) calls B with
 * OkHttp, B (JDK HttpServer) calls C with the Apache async client and answers from its
 * callback, C ({@link Backend}) echoes the headers it received. A W3C {@code traceparent}
 * sent to A is the trace of all of them.
 */
class MixedClientChainTest {
    static HttpServer a;
    static HttpServer b;
    static CloseableHttpAsyncClient apache;
    static final Backend c = Backend.get();

    @BeforeAll
    static void start() throws Exception {
        apache = ApacheHttpClient5AsyncTest.newClient(Timeout.ofSeconds(5));
        b = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        b.createContext("/b", ex -> {
            CompletableFuture<String> body = new CompletableFuture<>();
            apache.execute(SimpleHttpRequest.create("GET", c.url("/echo")), new FutureCallback<SimpleHttpResponse>() {
                @Override
                public void completed(SimpleHttpResponse r) {
                    body.complete(r.getBodyText());
                }

                @Override
                public void failed(Exception e) {
                    body.completeExceptionally(e);
                }

                @Override
                public void cancelled() {
                    body.cancel(false);
                }
            });
            try {
                Backend.respond(ex, 200, body.get(5, TimeUnit.SECONDS));
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
        });
        b.start();
        a = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        a.createContext("/a", ex -> {
            Request req = new Request.Builder().url("http://127.0.0.1:" + b.getAddress().getPort() + "/b").build();
            try (Response r = OkHttpTest.CLIENT.newCall(req).execute()) {
                Backend.respond(ex, 200, r.body().string());
            }
        });
        a.start();
    }

    @AfterAll
    static void stop() {
        a.stop(0);
        b.stop(0);
        apache.close(CloseMode.IMMEDIATE);
    }

    @Test
    void oneTraceWithTheIdsOfSpec1AcrossOkHttpAndTheApacheAsyncClient() {
        AgentRecords agent = AgentRecords.start();
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736".replace('4', 'c').substring(0, 24) + "00f067aa";
        RawHttp.Response r = RawHttp.get(a.getAddress().getPort(), "/a",
                "traceparent: 00-" + trace + "-00f067aa0ba902b7-01");
        assertEquals(200, r.status(), r.body());
        assertEquals(trace, r.header("X-Trace-Id"));
        Map<String, String> atC = Backend.echoed(r.body());
        assertEquals(trace, atC.get("x-trace-id"));
        assertEquals("0.2.2", atC.get("x-rpc-id"));
        assertTrue(atC.get("traceparent").startsWith("00-" + trace + "-"), atC.get("traceparent"));

        Records t = AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 5).inTrace(trace);
        assertEquals(List.of("0.1", "0.2", "0.2.1", "0.2.2", "0.2.2.1"), t.rpcIds(), t.toString());
        t.named("http.get").where(x -> x.rpcId().equals("0.2")).single()
                .has("x_host", "127.0.0.1:" + b.getAddress().getPort());                 // A -> B, OkHttp
        t.named("http.get").where(x -> x.rpcId().equals("0.2.2")).single()
                .has("x_host", "127.0.0.1:" + c.port()).has("x_code", "200");             // B -> C, Apache async
        t.named("request.info").where(x -> x.rpcId().equals("0.2.2.1")).single();        // C
        t.assertUniqueIds();
    }
}
