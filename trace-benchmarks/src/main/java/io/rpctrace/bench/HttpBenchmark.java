package io.rpctrace.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 5: the cost the agent adds per OkHttp call and per served request, against a JDK
 * {@code HttpServer} on 127.0.0.1, with and without the agent in the same JMH run (run from
 * the repository root so {@code trace-agent/target/trace-agent.jar} resolves).
 *
 * <ul>
 *   <li>{@code okHttpCall}: a keep-alive OkHttp GET; with the agent the server's own
 *       instrumentation is switched off, so the difference is the client's record alone
 *       (scope, ids, header injection, EventListener phases, the record).</li>
 *   <li>{@code servedRequest}: a keep-alive GET sent on a raw socket (no client
 *       instrumentation) to the instrumented server: extraction, {@code request.info},
 *       {@code X-Trace-Id} response header.</li>
 *   <li>{@code tomcatServedRequest}: the same against an embedded Tomcat 11 servlet (module
 *       {@code servlet-jakarta}: the advice on the filter chain and the servlet, the route and
 *       response-length lookups).</li>
 * </ul>
 * The {@code AgentNoWrite} fork hands records to a writer that drops them: what the
 * instrumentation costs on the request thread without the JSON encoding and file I/O (the
 * writer thread's work, which competes for the same 2 cores in the other agent forks).
 *
 * <pre>
 * mvn -B -q -pl trace-benchmarks -am -DskipTests package
 * java -jar trace-benchmarks/target/benchmarks.jar HttpBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@State(Scope.Thread)
public abstract class HttpBenchmark {
    /**
     * The JDK server writes headers and body separately; without TCP_NODELAY every exchange
     * waits for the client's delayed ACK (40 ms) and hides microseconds.
     */
    static final String NODELAY = "-Dsun.net.httpserver.nodelay=true";
    static final String AGENT = "-javaagent:trace-agent/target/trace-agent.jar=log.dir=target/bench-logs,"
            + "service=bench,instrumentation.jdk-http-server.enabled=";

    private HttpServer server;
    private OkHttpClient client;
    private Request request;
    private Socket socket;
    private OutputStream out;
    private InputStream in;
    private final byte[] buf = new byte[8192];
    private byte[] rawRequest;
    private org.apache.catalina.startup.Tomcat tomcat;
    private Socket tomcatSocket;
    private OutputStream tomcatOut;
    private InputStream tomcatIn;
    private byte[] tomcatRequest;

    @Setup(Level.Trial)
    public void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
        byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
        server.createContext("/x", ex -> {
            ex.getRequestBody().close();
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
        int port = server.getAddress().getPort();
        client = new OkHttpClient.Builder().build();
        request = new Request.Builder().url("http://127.0.0.1:" + port + "/x?id=7").build();
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = socket.getInputStream();
        rawRequest = ("GET /x?id=7 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUser-Agent: bench\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        startTomcat(body);
    }

    private void startTomcat(byte[] body) throws IOException {
        java.io.File base = java.nio.file.Files.createTempDirectory("bench-tomcat").toFile();
        tomcat = new org.apache.catalina.startup.Tomcat();
        tomcat.setBaseDir(base.getAbsolutePath());
        org.apache.catalina.connector.Connector connector = new org.apache.catalina.connector.Connector();
        connector.setPort(0);
        connector.setProperty("address", "127.0.0.1");
        connector.setProperty("maxKeepAliveRequests", "-1"); // default 100: the benchmark's one connection would be closed
        tomcat.getService().addConnector(connector);
        tomcat.setConnector(connector);
        org.apache.catalina.Context ctx = tomcat.addContext("", base.getAbsolutePath());
        org.apache.catalina.startup.Tomcat.addServlet(ctx, "x", new jakarta.servlet.http.HttpServlet() {
            @Override
            protected void doGet(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse rsp)
                    throws IOException {
                rsp.setContentLength(body.length);
                rsp.getOutputStream().write(body);
            }
        });
        ctx.addServletMappingDecoded("/x", "x");
        try {
            tomcat.start();
        } catch (org.apache.catalina.LifecycleException e) {
            throw new IOException(e);
        }
        int port = connector.getLocalPort();
        tomcatSocket = new Socket(InetAddress.getLoopbackAddress(), port);
        tomcatSocket.setTcpNoDelay(true);
        tomcatOut = tomcatSocket.getOutputStream();
        tomcatIn = tomcatSocket.getInputStream();
        tomcatRequest = ("GET /x?id=7 HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUser-Agent: bench\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
        socket.close();
        tomcatSocket.close();
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (org.apache.catalina.LifecycleException e) {
            throw new IOException(e);
        }
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
        server.stop(0);
    }

    @Benchmark
    public int okHttpCall() throws IOException {
        try (Response r = client.newCall(request).execute()) {
            return r.body().bytes().length;
        }
    }

    /** One request on a persistent raw connection; reads the response up to its 2-byte body. */
    @Benchmark
    public int servedRequest() throws IOException {
        return exchange(out, in, rawRequest);
    }

    /** The same against the embedded Tomcat's servlet. */
    @Benchmark
    public int tomcatServedRequest() throws IOException {
        return exchange(tomcatOut, tomcatIn, tomcatRequest);
    }

    private int exchange(OutputStream out, InputStream in, byte[] rawRequest) throws IOException {
        out.write(rawRequest);
        out.flush();
        int n = 0;
        while (true) {
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                throw new IOException("closed");
            }
            n += r;
            // head ends with \r\n\r\n, then the body "ok"
            if (n >= 6 && buf[n - 2] == 'o' && buf[n - 1] == 'k' && buf[n - 3] == '\n' && buf[n - 4] == '\r') {
                return n;
            }
        }
    }

    /** Without any agent. */
    @Fork(value = 1, jvmArgsAppend = {"-Xms256m", NODELAY})
    public static class NoAgent extends HttpBenchmark {
    }

    /** With the agent; the server's instrumentation off, so {@code okHttpCall} pays for the client alone. */
    @Fork(value = 1, jvmArgsAppend = {"-Xms256m", NODELAY, AGENT + "false"})
    public static class AgentClientOnly extends HttpBenchmark {
    }

    /** With the agent, everything on (for {@code servedRequest}; OkHttp is not involved there). */
    @Fork(value = 1, jvmArgsAppend = {"-Xms256m", NODELAY, AGENT + "true"})
    public static class AgentAll extends HttpBenchmark {
    }

    /** With the agent, everything on, records dropped instead of written (see the class comment). */
    @Fork(value = 1, jvmArgsAppend = {"-Xms256m", NODELAY, AGENT + "true"})
    public static class AgentNoWrite extends HttpBenchmark {
        @Setup(Level.Trial)
        public void dropRecords() {
            io.rpctrace.internal.Tracing.start(io.rpctrace.internal.Tracing.get().config(), new JdbcRedisBenchmark.Dropping());
        }
    }
}
