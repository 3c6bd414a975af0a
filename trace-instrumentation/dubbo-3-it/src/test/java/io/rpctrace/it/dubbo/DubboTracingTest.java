package io.rpctrace.it.dubbo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.apache.dubbo.config.bootstrap.DubboBootstrap;
import org.apache.dubbo.rpc.RpcException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Dubbo 3 provider and consumer in this JVM, the dubbo protocol on 127.0.0.1, the consumer
 * pointed at the provider by a direct URL (no registry), traced by the packaged agent alone.
 */
@ExtendWith(NoInstrumentationErrors.class)
class DubboTracingTest {
    private static final String SERVICE = Greeter.class.getName();
    private static DubboBootstrap bootstrap;
    private static Greeter greeter;
    private static String provider;
    private static HttpServer http;
    private static String greetUrl;

    @BeforeAll
    static void start() throws Exception {
        Scenario scenario = Scenario.startOnAFreePort();
        bootstrap = scenario.bootstrap;
        greeter = scenario.greeter;
        provider = scenario.provider;

        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/greet", ex -> {   // served: recorded by the JDK HttpServer instrumentation
            byte[] body = greeter.greet("ada").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        http.start();
        greetUrl = "http://127.0.0.1:" + http.getAddress().getPort() + "/greet";
    }

    @AfterAll
    static void stop() {
        if (http != null) {
            http.stop(0);
        }
        if (bootstrap != null) {
            bootstrap.stop();
        }
    }

    @Test
    void theExpectedDubboIsOnTheClassPath() {
        // the default run holds the latest, the "floor" run the floor (pom.xml)
        String jar = DubboBootstrap.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        assertTrue(jar.endsWith("/dubbo-" + System.getProperty("rpctrace.it.dubbo.expected") + ".jar"), jar);
    }

    @Test
    void httpToConsumerToProviderToJdbcIsOneTrace() throws Exception {
        AgentRecords agent = AgentRecords.start();
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String answer;
        try (Span a = Trace.enter(traceId, "0.5")) {
            answer = read((HttpURLConnection) new URL(greetUrl).openConnection());
        }
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("request.info").size() >= 3)
                .inTrace(traceId);
        // the test serves 0.5.1 and calls the HTTP service as 0.5.2, which serves 0.5.2.1 and calls
        // the provider as 0.5.2.2; the provider serves 0.5.2.2.1, opens an H2 connection (0.5.2.2.2)
        // and queries it (0.5.2.2.3)
        trace.named("http.get").single().hasRpcId("0.5.2").has("x_action", greetUrl);
        trace.named("request.info").where(r -> "0.5.2.1".equals(r.rpcId())).single().has("x_action", greetUrl);
        trace.named("dubbo.request").single().hasRpcId("0.5.2.2").has("x_action", SERVICE + ".greet")
                .has("x_host", provider);
        trace.named("request.info").where(r -> "0.5.2.2.1".equals(r.rpcId())).single()
                .has("x_action", SERVICE + ".greet");
        trace.named("h2.connect").single().hasRpcId("0.5.2.2.2");
        trace.named("h2.request").single().hasRpcId("0.5.2.2.3").has("x_module", "greeter_impl_greet");
        assertEquals("ada " + traceId + " 0.5.2.2.3", answer);   // Trace.rpcId(): the last id issued
        // not in debug mode: the provider's Trace.debug writes nothing
        assertEquals(0, trace.named("log.debug").size());
        trace.assertUniqueIds();
    }

    @Test
    void aTimeoutIsCoded() {
        AgentRecords agent = AgentRecords.start();
        String traceId;
        try (Span s = Trace.enter(null, null)) {
            traceId = s.traceId();
            RpcException e = assertThrows(RpcException.class, () -> greeter.slow(1500));
            assertTrue(e.isTimeout(), e.toString());
        }
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("dubbo.request.error").size() >= 1)
                .inTrace(traceId);
        trace.named("dubbo.request.error").single().hasRpcId("0.2")
                .has("x_action", SERVICE + ".slow").has("x_code", "timeout").has("x_host", provider);
    }

    @Test
    void aProviderThatIsDownIsNetworkThenNoProvider() throws Exception {
        Greeter nowhere = Scenario.nowhere(bootstrap);
        AgentRecords agent = AgentRecords.start();
        String traceId;
        int calls = 1;
        try (Span s = Trace.enter(null, null)) {
            traceId = s.traceId();
            // the first call fails to connect (network); the directory then drops the provider, and
            // the cluster finds no provider left (Dubbo 3's connectivity check; at once or soon)
            RpcException e = assertThrows(RpcException.class, () -> nowhere.greet("zoe"));   // 0.2
            assertEquals(RpcException.NETWORK_EXCEPTION, e.getCode(), e.toString());
            while (e.getCode() != RpcException.NO_INVOKER_AVAILABLE_AFTER_FILTER && calls < 10) {
                Thread.sleep(100);
                e = assertThrows(RpcException.class, () -> nowhere.greet("zoe"));   // 0.3 ...
                calls++;
            }
            assertEquals(RpcException.NO_INVOKER_AVAILABLE_AFTER_FILTER, e.getCode(), e.toString());
            assertTrue(e.getMessage().contains("No provider available"), e.getMessage());
        }
        int n = calls;
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("dubbo.request.error").size() >= n)
                .inTrace(traceId);
        assertEquals(n, trace.named("dubbo.request.error").size(), "one record per call: " + trace);
        trace.named("dubbo.request.error").where(r -> "0.2".equals(r.rpcId())).single()
                .has("x_action", SERVICE + ".greet").has("x_code", "network");
        String last = "0." + (n + 1);
        TraceRecord rejected = trace.named("dubbo.request.error").where(r -> last.equals(r.rpcId())).single()
                .has("x_action", SERVICE + ".greet").has("x_code", "no_provider").record();
        assertNull(rejected.string("x_host"), "no provider was chosen: " + rejected.line());
    }

    @Test
    void aBusinessExceptionIsCodedOnBothSides() {
        AgentRecords agent = AgentRecords.start();
        String traceId;
        try (Span s = Trace.enter(null, null)) {
            traceId = s.traceId();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> greeter.fail("pear"));
            assertEquals("out of stock: pear", e.getMessage());
        }
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("request.info.error").size() >= 1
                && r.inTrace(traceId).named("dubbo.request.error").size() >= 1).inTrace(traceId);
        String call = trace.named("dubbo.request.error").single().has("x_action", SERVICE + ".fail")
                .has("x_code", "biz").rpcId();
        trace.named("request.info.error").single().hasRpcId(call + ".1").has("x_code", "biz")
                .has("x_action", SERVICE + ".fail");
    }

    @Test
    void anAsyncCallIsWrittenWhenItCompletes() throws Exception {
        AgentRecords agent = AgentRecords.start();
        String traceId;
        String answer;
        try (Span s = Trace.enter(null, null)) {
            traceId = s.traceId();
            answer = greeter.greetAsync("bob").get();
        }
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("dubbo.request").size() >= 1
                && r.inTrace(traceId).named("request.info").size() >= 2).inTrace(traceId);
        String call = trace.named("dubbo.request").single().has("x_action", SERVICE + ".greetAsync").rpcId();
        trace.named("request.info").where(r -> (call + ".1").equals(r.rpcId())).single()
                .has("x_action", SERVICE + ".greetAsync");
        assertEquals("bob " + traceId + " " + call + ".3", answer);
    }

    @Test
    void debugModeCrossesWithTheBoundToken() throws Exception {
        AgentRecords agent = AgentRecords.start();
        String traceId = "5bf92f3577b34da6a3ce929d0e0e4737";
        // a request that arrives in debug mode with the raw secret (the entry service checks it)
        RawHttp.Response response = RawHttp.get(http.getAddress().getPort(), "/greet", "X-Trace-Id: " + traceId,
                "X-Rpc-Id: 0.7", "X-Debug: 1", "X-Debug-Token: s3cret");
        assertEquals(200, response.status());
        assertEquals("ada " + traceId + " 0.7.2.3", response.body());
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("request.info").size() >= 2)
                .inTrace(traceId);
        // the provider verified the token bound to the trace id: it serves in debug mode, and its
        // Trace.debug record is written; the secret itself is never written
        trace.named("request.info").where(r -> "0.7.2.1".equals(r.rpcId())).single();
        assertEquals(1, trace.named("log.debug").where(r -> r.rpcId().startsWith("0.7.2.")).size());
        assertEquals(0, trace.where(r -> r.line().contains("s3cret")).size());
    }

    /**
     * The application's own tracer (a consumer filter, as Dubbo's observation filter is) put its
     * traceparent on the invocation: the provider receives it as written, beside the call's ids
     * (docs/propagation.md#interop).
     */
    @Test
    void aTraceparentTheApplicationsTracerPutIsKept() {
        ApplicationsTracerFilter.ON.set(true);
        try (Span req = Trace.enter(null, null)) {
            assertEquals(ApplicationsTracerFilter.TRACEPARENT, greeter.attachment("traceparent"));
            assertEquals("0.3", greeter.attachment("x-rpc-id"));
        } finally {
            ApplicationsTracerFilter.ON.set(false);
        }
        try (Span req = Trace.enter(null, null)) {
            // without the application's tracer: rpctrace's own
            assertEquals(io.rpctrace.context.Propagation.traceparent(req.traceId(), "0.2"), greeter.attachment("traceparent"));
        }
    }

    private static String read(HttpURLConnection c) throws Exception {
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
