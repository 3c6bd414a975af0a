package io.rpctrace.it.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.http.Backend;
import io.rpctrace.testing.http.TestClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/model.md#rule-4: the tasks that HTTP clients hand to their own threads (the JDK
 * {@code HttpClient}'s executor and selector, OkHttp's task runner and dispatcher) take no id
 * of their own, so one request's calls through the JDK {@code HttpClient}, OkHttp and
 * {@code HttpURLConnection} are numbered {@code 0.2}, {@code 0.3}, … without a gap. Both
 * clients are created inside the request, so their threads and housekeeping start in its scope.
 * An application task that makes a call still gets its own child prefix; one that writes
 * nothing takes no id.
 */
class GapFreeIdsTest {
    static HttpServer a;
    static final Backend backend = Backend.get();
    static final ExecutorService pool = Executors.newFixedThreadPool(2);

    @BeforeAll
    static void start() throws Exception {
        a = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        a.createContext("/a", ex -> {
            try {
                calls();
            } catch (Exception e) {
                throw new IOException(e);
            }
            Backend.respond(ex, 200, "done");
        });
        a.start();
    }

    @AfterAll
    static void stop() {
        a.stop(0);
        pool.shutdownNow();
    }

    private static void calls() throws Exception {
        String url = backend.url("/echo");
        HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create(url)).build();
        jdk.send(get, HttpResponse.BodyHandlers.ofString());                           // 0.2
        jdk.send(get, HttpResponse.BodyHandlers.ofString());                           // 0.3
        jdk.sendAsync(get, HttpResponse.BodyHandlers.ofString()).get(5, TimeUnit.SECONDS); // 0.4
        OkHttpClient ok = new OkHttpClient();
        Request req = new Request.Builder().url(url).build();
        try (Response r = ok.newCall(req).execute()) {                                // 0.5
            r.body().string();
        }
        try (Response r = ok.newCall(req).execute()) {                                // 0.6
            r.body().string();
        }
        CountDownLatch answered = new CountDownLatch(1);
        ok.newCall(req).enqueue(new Callback() {                                       // 0.7
            @Override
            public void onFailure(Call call, IOException e) {
                answered.countDown();
            }

            @Override
            public void onResponse(Call call, Response response) throws IOException {
                try (Response r = response) {
                    r.body().string();
                }
                answered.countDown();
            }
        });
        answered.await(5, TimeUnit.SECONDS);
        TestClient.fetch(url);                                                         // 0.8
        TestClient.fetch(url);                                                         // 0.9
        Trace.info("service_a", "called everyone");                                    // 0.9 (rule 3)
        pool.submit(() -> TestClient.fetch(url)).get();                                // task 0.10, its call 0.10.2
        pool.submit(() -> { }).get();                                                  // a task writing nothing: no id
        TestClient.fetch(url);                                                         // 0.11
        ok.dispatcher().executorService().shutdown();
        ok.connectionPool().evictAll();
    }

    @Test
    void callsThroughEveryClientAndTasksAreNumberedWithoutGaps() {
        AgentRecords agent = AgentRecords.start();
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736".replace('4', 'd');
        RawHttp.Response r = RawHttp.get(a.getAddress().getPort(), "/a", "X-Trace-Id: " + trace);
        assertEquals(200, r.status(), r.body());

        Records t = AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 23).inTrace(trace);
        assertEquals(List.of("0.1",
                "0.2", "0.2.1", "0.3", "0.3.1", "0.4", "0.4.1",         // JDK HttpClient: send, send, sendAsync
                "0.5", "0.5.1", "0.6", "0.6.1", "0.7", "0.7.1",         // OkHttp: execute, execute, enqueue
                "0.8", "0.8.1", "0.9", "0.9", "0.9.1",                  // HttpURLConnection twice, then a log
                "0.10.2", "0.10.2.1",                                   // the application's task: its own prefix
                "0.11", "0.11.1"), t.rpcIds(), t.toString());
        for (String call : List.of("0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "0.10.2", "0.11")) {
            t.named("http.get").where(x -> x.rpcId().equals(call)).single().has("x_host", "127.0.0.1:" + backend.port());
            t.named("request.info").where(x -> x.rpcId().equals(call + ".1")).single();
        }
        t.named("log.info").single().hasRpcId("0.9").has("x_module", "service_a");
        t.named("request.info").where(x -> x.rpcId().equals("0.1")).single();
        t.where(x -> !x.name().startsWith("log.")).assertUniqueIds();
        t.assertNoGaps();
    }
}
