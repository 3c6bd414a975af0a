package io.rpctrace.it.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.http.HttpClientContract;
import io.rpctrace.testing.http.TestClient;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Apache HttpClient 5 async ({@code CloseableHttpAsyncClient}, module {@code apache-httpclient-5}):
 * the contract through {@code SimpleHttpRequest}, the duration of a call that outlives
 * {@code execute}, and the completion callback in the caller's scope.
 */
class ApacheHttpClient5AsyncTest extends HttpClientContract {
    // Design note: start() hands the I/O reactor's start to an executor, which (executors module)
    // would take an id of a request it is started in; the clients are started outside any
    // scope, once per timeout the scenarios use, as an application starts its client.
    private static final Map<Integer, CloseableHttpAsyncClient> CLIENTS = new ConcurrentHashMap<>();

    @BeforeAll
    static void startClients() {
        for (int timeoutMs : new int[] {500, 5000}) {
            CLIENTS.put(timeoutMs, newClient(Timeout.of(timeoutMs, TimeUnit.MILLISECONDS)));
        }
    }

    @AfterAll
    static void closeClients() {
        CLIENTS.values().forEach(c -> c.close(CloseMode.IMMEDIATE));
    }

    @Override
    protected TestClient client() {
        return (method, url, headers, body, timeoutMs) -> {
            CloseableHttpAsyncClient client = CLIENTS.get(timeoutMs);
            try {
                SimpleRequestBuilder b = SimpleRequestBuilder.create(method).setUri(url);
                headers.forEach(b::setHeader);
                if (body != null) {
                    b.setBody(body, ContentType.TEXT_PLAIN);
                }
                SimpleHttpResponse r = client.execute(b.build(), null).get();
                return new TestClient.Response(r.getCode(),
                        r.getFirstHeader("X-Trace-Id") == null ? null : r.getFirstHeader("X-Trace-Id").getValue(),
                        r.getBodyText() == null ? "" : r.getBodyText());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
        };
    }

    static CloseableHttpAsyncClient newClient(Timeout t) {
        CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(t).setSocketTimeout(t).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(t).build())
                .build();
        client.start();
        return client;
    }

    @Test
    void aCallLastsUntilItsResponseAndItsCallbackRunsInTheCallersScope() throws Exception {
        CloseableHttpAsyncClient client = newClient(Timeout.ofSeconds(5));
        try {
            AgentRecords agent = AgentRecords.start();
            String trace;
            CompletableFuture<String> inCallback = new CompletableFuture<>();
            Future<SimpleHttpResponse> f;
            long t0 = System.nanoTime();
            try (Span req = Trace.enter(io.rpctrace.context.TraceId.generate(), "0.6")) {     // 0.6.1
                trace = Trace.traceId();
                f = client.execute(SimpleHttpRequest.create("GET", backend.url("/slow?ms=300")),  // call 0.6.2
                        new FutureCallback<>() {                                          // runs under prefix 0.6.3
                            @Override
                            public void completed(SimpleHttpResponse result) {
                                try {
                                    String ids = Trace.traceId() + " " + Trace.rpcId();
                                    // a call made from the callback continues the trace: 0.6.3.2
                                    client.execute(SimpleHttpRequest.create("GET", backend.url("/echo")), null).get();
                                    inCallback.complete(ids);
                                } catch (Exception e) {
                                    inCallback.completeExceptionally(e);
                                }
                            }

                            @Override
                            public void failed(Exception ex) {
                                inCallback.completeExceptionally(ex);
                            }

                            @Override
                            public void cancelled() {
                                inCallback.cancel(false);
                            }
                        });
            }
            long returnedMs = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(200, f.get().getCode());
            assertEquals(trace + " 0.6.3.1", inCallback.get(10, TimeUnit.SECONDS));
            assertTrue(returnedMs < 300, "execute returned after " + returnedMs + " ms");

            Records t = AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 5).inTrace(trace);
            double call = Double.parseDouble(t.named("http.get").where(x -> "0.6.2".equals(x.rpcId())).single()
                    .has("x_code", "200").has("x_host", "127.0.0.1:" + backend.port())
                    .has("x_response_len", "4").record().string("x_duration"));
            double served = Double.parseDouble(t.named("request.info").where(x -> "0.6.2.1".equals(x.rpcId())).single()
                    .record().string("x_duration"));
            // Not call >= served: the server closes its record after the last byte is written, which can
            // be after the client has read that byte (seen in CI: call 0.304626 s, served 0.304769 s).
            assertTrue(call >= 0.3, "call " + call + " s, served " + served + " s");
            assertTrue(served >= 0.3, "served " + served);
            t.named("http.get").where(x -> "0.6.3.2".equals(x.rpcId())).single().has("x_code", "200");
            t.named("request.info").where(x -> "0.6.3.2.1".equals(x.rpcId())).single();
            t.assertUniqueIds();
        } finally {
            client.close(CloseMode.IMMEDIATE);
        }
    }
}
