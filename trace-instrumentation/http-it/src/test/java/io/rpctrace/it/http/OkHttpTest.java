package io.rpctrace.it.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import io.rpctrace.testing.http.HttpClientContract;
import io.rpctrace.testing.http.TestClient;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.EventListener;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Test;

/** OkHttp (module {@code okhttp}): the client contract, async calls and the connection phases. */
class OkHttpTest extends HttpClientContract {
    /** The application's own listener: it must keep receiving its events. */
    static final List<String> APP_EVENTS = new CopyOnWriteArrayList<>();
    static final OkHttpClient CLIENT = new OkHttpClient.Builder()
            .eventListener(new EventListener() {
                @Override
                public void callStart(Call call) {
                    APP_EVENTS.add("callStart");
                }

                @Override
                public void dnsStart(Call call, String domainName) {
                    APP_EVENTS.add("dnsStart");
                }
            })
            .build();

    @Override
    protected TestClient client() {
        return (method, url, headers, body, timeoutMs) -> {
            OkHttpClient c = CLIENT.newBuilder().connectTimeout(timeoutMs, TimeUnit.MILLISECONDS)
                    .readTimeout(timeoutMs, TimeUnit.MILLISECONDS).build();
            Request.Builder b = new Request.Builder().url(url)
                    .method(method, body == null ? null : RequestBody.create(MediaType.parse("text/plain"), body));
            headers.forEach(b::header);
            try (Response r = c.newCall(b.build()).execute()) {
                return new TestClient.Response(r.code(), r.header("X-Trace-Id"), r.body().string());
            }
        };
    }

    @Test
    void connectionPhasesAreRecordedAndTheApplicationsListenerStillHearsItsEvents() throws Exception {
        AgentRecords agent = AgentRecords.start();
        APP_EVENTS.clear();
        String trace;
        // a fresh connection pool: DNS and connect happen for this call
        OkHttpClient fresh = CLIENT.newBuilder().connectionPool(new okhttp3.ConnectionPool()).build();
        try (Span req = Trace.enter(null, null)) {
            trace = Trace.traceId();
            try (Response r = fresh.newCall(new Request.Builder().url("http://localhost:" + backend.port() + "/echo")
                    .build()).execute()) {
                assertEquals(200, r.code());
            }
        }
        assertTrue(APP_EVENTS.contains("callStart") && APP_EVENTS.contains("dnsStart"), APP_EVENTS.toString());
        Records t = AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 3).inTrace(trace);
        TraceRecord call = t.named("http.get").single().hasRpcId("0.2").has("x_code", "200").record();
        assertNotNull(call.fields().get("x_dns_duration"), call.line());
        assertNotNull(call.extra("connect_s"), call.line());
        assertTrue(call.string("x_host").endsWith(":" + backend.port()), call.line());
    }

    @Test
    void anEnqueuedCallIsRecordedWhenItsResponseArrives() throws Exception {
        AgentRecords agent = AgentRecords.start();
        String trace;
        CompletableFuture<Integer> done = new CompletableFuture<>();
        try (Span req = Trace.enter(null, null)) {
            trace = Trace.traceId();
            CLIENT.newCall(new Request.Builder().url(backend.url("/slow?ms=200")).build()).enqueue(new Callback() {
                @Override
                public void onFailure(Call call, IOException e) {
                    done.completeExceptionally(e);
                }

                @Override
                public void onResponse(Call call, Response response) {
                    response.close();
                    done.complete(response.code());
                }
            });
        }
        assertEquals(200, done.get(10, TimeUnit.SECONDS));
        Records t = AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 3).inTrace(trace);
        // the dispatcher runs the call in the scope that enqueued it (a continuation, not a
        // hand-off): it is the request's call 0.2, like a synchronous one
        TraceRecord call = t.named("http.get").single().hasRpcId("0.2").record();
        assertTrue(Double.parseDouble(call.string("x_duration")) >= 0.2, call.line());
        t.named("request.info").where(x -> x.rpcId().equals("0.2.1")).single();
    }
}
