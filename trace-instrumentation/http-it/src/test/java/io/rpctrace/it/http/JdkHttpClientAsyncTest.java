package io.rpctrace.it.http;

import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.RawHttp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.http.HttpClientContract;
import io.rpctrace.testing.http.TestClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The JDK {@code HttpClient}, {@code sendAsync}: the contract, and the duration of an async call. */
class JdkHttpClientAsyncTest extends HttpClientContract {
    @Override
    protected TestClient client() {
        return TestClient.jdkAsync(JdkHttpClientTest.CLIENT);
    }

    @Test
    void anAsyncCallLastsUntilItsResponseNotUntilSendAsyncReturns() throws Exception {
        AgentRecords agent = AgentRecords.start();
        String trace;
        CompletableFuture<HttpResponse<String>> f;
        long t0 = System.nanoTime();
        try (Span req = Trace.enter(null, null)) {
            trace = Trace.traceId();
            f = JdkHttpClientTest.CLIENT.sendAsync(HttpRequest.newBuilder(URI.create(backend.url("/slow?ms=300"))).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        long returnedMs = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(200, f.get().statusCode());
        Records t = AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 3).inTrace(trace);
        double call = Double.parseDouble(t.named("http.get").single().hasRpcId("0.2").record().string("x_duration"));
        double served = Double.parseDouble(t.named("request.info").where(x -> "0.2.1".equals(x.rpcId())).single()
                .record().string("x_duration"));
        assertTrue(returnedMs < 300, "sendAsync returned after " + returnedMs + " ms");
        // Not call >= served: the server closes its record after the last byte is written, which can
        // be after the client has read that byte (seen under load: call 0.303234 s, served 0.303553 s).
        assertTrue(call >= 0.3, "call " + call + " s, served " + served + " s");
        assertTrue(served >= 0.3, "served " + served);
    }
}
