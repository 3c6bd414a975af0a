package io.rpctrace.it.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.context.TraceId;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.servlet.AsyncContext;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Served requests through the servlet API, the scenarios every container passes (one embedded
 * server per class), with a filter in front of every servlet: one {@code request.info} per
 * request, sync and async.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NoInstrumentationErrors.class)
abstract class ServletContract {
    int port;
    final ExecutorService appPool = Executors.newFixedThreadPool(2);

    /** The container under test: mounts the servlets (path → servlet, async or not) behind the filter on 127.0.0.1. */
    abstract int startServer(List<Mount> mounts, Filter guard) throws Exception;

    abstract void stopServer() throws Exception;

    /** One servlet at one path. */
    record Mount(String path, HttpServlet servlet, boolean async) { }

    @BeforeAll
    void start() throws Exception {
        List<Mount> mounts = List.of(
                new Mount("/sync", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse rsp) throws IOException {
                        byte[] body = "sync ok".getBytes(StandardCharsets.UTF_8);
                        rsp.setContentLength(body.length);
                        rsp.getOutputStream().write(body);
                    }
                }, false),
                new Mount("/chunked", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse rsp) throws IOException {
                        // no Content-Length: flushed in two chunks
                        rsp.getWriter().write("chunk one,");
                        rsp.flushBuffer();
                        rsp.getWriter().write("chunk two");
                    }
                }, false),
                new Mount("/call", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse rsp) throws IOException {
                        rsp.getWriter().write(get("/sync"));
                    }
                }, false),
                new Mount("/async", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse rsp) {
                        AsyncContext async = req.startAsync();
                        appPool.submit(() -> {
                            try {
                                Thread.sleep(300);
                                String downstream = get("/sync");
                                async.getResponse().getWriter().write("async " + downstream);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            } finally {
                                async.complete();
                            }
                        });
                    }
                }, true),
                new Mount("/throws", new HttpServlet() {
                    @Override
                    protected void doGet(HttpServletRequest req, HttpServletResponse rsp) {
                        throw new IllegalStateException("servlet failed");
                    }
                }, false));
        Filter guard = new Filter() {
            @Override
            public void doFilter(ServletRequest req, ServletResponse rsp, FilterChain chain)
                    throws IOException, javax.servlet.ServletException {
                if (((HttpServletRequest) req).getHeader("X-Reject") != null) {
                    ((HttpServletResponse) rsp).sendError(401);
                    return;
                }
                chain.doFilter(req, rsp);
            }
        };
        port = startServer(mounts, guard);
    }

    @AfterAll
    void stop() throws Exception {
        stopServer();
        appPool.shutdown();
    }

    String get(String path) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + path).openConnection();
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aServedRequestIsOneRequestInfoThroughFilterAndServlet() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        RawHttp.Response r = RawHttp.get(port, "/sync?a=1&token=t0k3n", "X-Trace-Id: " + trace, "X-Rpc-Id: 0.3",
                "X-Forwarded-For: 198.51.100.7", "User-Agent: servlet-it", "Referer: http://ref.example/",
                "Cookie: JSESSIONID=sekret-cookie", "Authorization: Basic c2VrcmV0");
        assertEquals(200, r.status());
        assertEquals(trace, r.header("X-Trace-Id"));
        Records t = AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 1).inTrace(trace);
        TraceRecord rec = t.named("request.info").single().hasRpcId("0.3.1").has("x_code", "200")
                .has("x_action", "http://127.0.0.1:" + port + "/sync?a=1&token=***")
                .has("x_client_ip", "198.51.100.7").has("x_user_agent", "servlet-it")
                .has("x_source", "http://ref.example/").has("x_server_ip", "127.0.0.1:" + port)
                .has("x_param", "{\"a\":\"1\",\"token\":\"***\"}").has("x_response_len", "7")
                .record();
        assertFalse(rec.line().contains("sekret") || rec.line().contains("c2VrcmV0") || rec.line().contains("t0k3n"));
    }

    /**
     * A filter that answers with {@code sendError}: the status page the container writes after
     * the chain has returned is counted in the record.
     */
    @Test
    void aFilterThatAnswersItselfStillServesOneRequest() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        RawHttp.Response r = RawHttp.get(port, "/sync", "X-Trace-Id: " + trace, "X-Reject: 1");
        assertEquals(401, r.status());
        assertTrue(r.content().length() > 0, "the container wrote a status page: " + r);
        AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 1).inTrace(trace)
                .named("request.info").single().hasRpcId("0.1").has("x_code", "401")
                .has("x_response_len", String.valueOf(r.content().length()));
    }

    @Test
    void aCallFromAServletContinuesTheTrace() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        RawHttp.get(port, "/call", "X-Trace-Id: " + trace, "X-Rpc-Id: 0.2");
        Records t = AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 3).inTrace(trace);
        assertEquals(List.of("0.2.1", "0.2.2", "0.2.2.1"), t.rpcIds(), t.toString());
        t.named("http.get").single().hasRpcId("0.2.2").has("x_code", "200");
    }

    @Test
    void anAsyncRequestIsRecordedWhenItCompletesWithItsFullDuration() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        RawHttp.Response r = RawHttp.get(port, "/async", "X-Trace-Id: " + trace);
        assertEquals("async sync ok", r.body().trim().replaceAll("^[0-9a-f]+\r\n|\r\n0$", "").trim(), r.body());
        Records t = AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 3).inTrace(trace);
        TraceRecord served = t.named("request.info").where(x -> x.rpcId().equals("0.1")).single().has("x_code", "200")
                .record();
        double seconds = Double.parseDouble(served.string("x_duration"));
        assertTrue(seconds >= 0.3, "async request lasted " + seconds + " s: " + served);
        // the app's task is a child scope (executors module, docs/model.md#rule-4); its call and
        // the callee take their ids by docs/model.md#rule-2
        t.named("http.get").single().hasRpcId("0.2.2");
        t.named("request.info").where(x -> x.rpcId().equals("0.2.2.1")).single();
    }

    /**
     * The container writes its error page after the servlet's exception has left the filter
     * chain (Tomcat: the host valve's ERROR dispatch, or its error report valve); the record is
     * ended after it, with the page's bytes and the exception.
     */
    @Test
    void aServletThatThrowsIsAnErrorWithStatus500AndItsErrorPage() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        RawHttp.Response r = RawHttp.get(port, "/throws", "X-Trace-Id: " + trace);
        assertEquals(500, r.status());
        assertTrue(r.content().length() > 0, "the container wrote an error page: " + r);
        TraceRecord rec = AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 1).inTrace(trace)
                .named("request.info.error").single().hasRpcId("0.1").has("x_code", "500")
                .has("x_response_len", String.valueOf(r.content().length())).record();
        assertTrue(rec.string("x_msg").contains("servlet failed"), rec.line());
    }

    @Test
    void hostileHeadersGiveANewValidTrace() {
        String[][] hostile = {
            {"X-Trace-Id: " + "b".repeat(5_000), "X-Rpc-Id: 0.1"},
            {"X-Trace-Id: " + TraceId.generate(), "X-Rpc-Id: 0.01.x"},
            {"X-Trace-Id: abc\u00c3\u0028\u00ff", "User-Agent: \u00c3\u0028 \u00ff\u00fe", "X-Forwarded-For: <script>"},
        };
        for (String[] headers : hostile) {
            AgentRecords agent = AgentRecords.start();
            RawHttp.Response r = RawHttp.get(port, "/sync", headers);
            String trace = r.header("X-Trace-Id");
            // a valid trace id with a bad RPCID keeps its trace with prefix 0; otherwise a new trace
            assertTrue(trace != null && trace.matches("[0-9a-f]{32}"), "a valid trace id, not " + trace);
            AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 1).inTrace(trace)
                    .named("request.info").single().hasRpcId("0.1");
        }
    }

    @Test
    void aResponseWithoutContentLengthHasTheBytesWritten() {
        AgentRecords agent = AgentRecords.start();
        String trace = TraceId.generate();
        RawHttp.Response r = RawHttp.get(port, "/chunked", "X-Trace-Id: " + trace);
        assertEquals(200, r.status());
        assertEquals(null, r.header("Content-Length"), "a chunked response");
        AwaitRecords.until(agent, x -> x.inTrace(trace).size() >= 1).inTrace(trace)
                .named("request.info").single().hasRpcId("0.1").has("x_response_len", "19");
    }
}
