package io.rpctrace.testing.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rpctrace.Trace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A JDK HttpServer on 127.0.0.1 (itself instrumented), shared by the test classes of this JVM.
 * {@code /echo} answers with the request headers it received, one {@code name: value} line
 * each (lower-cased names), so tests see what a client injected; {@code /status/<n>} answers
 * {@code n}; {@code /slow?ms=<n>} waits first; {@code /debug} writes a {@code log.debug} record.
 */
public final class Backend {
    private static Backend shared;

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    private Backend() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/echo", Backend::echo);
        server.createContext("/status/", ex -> {
            int code = Integer.parseInt(ex.getRequestURI().getPath().substring("/status/".length()));
            respond(ex, code, "status " + code);
        });
        server.createContext("/slow", ex -> {
            String q = ex.getRequestURI().getQuery();
            sleep(Long.parseLong(q.substring(q.indexOf('=') + 1)));
            respond(ex, 200, "slow");
        });
        server.createContext("/debug", ex -> {
            Trace.debug("backend", "debug detail");
            echo(ex);
        });
        server.createContext("/chunked", ex -> {
            ex.sendResponseHeaders(200, 0);
            try (OutputStream out = ex.getResponseBody()) {
                out.write("chunk one,".getBytes(StandardCharsets.UTF_8));
                out.write("chunk two".getBytes(StandardCharsets.UTF_8));
            }
        });
        server.createContext("/throws", ex -> {
            throw new IllegalStateException("handler failed");
        });
        server.setExecutor(pool);
        server.start();
    }

    /** The backend of this JVM, started on first use. */
    public static synchronized Backend get() {
        if (shared == null) {
            shared = new Backend();
        }
        return shared;
    }

    /** Its port on 127.0.0.1. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** {@code http://127.0.0.1:<port><pathAndQuery>}. */
    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + port() + pathAndQuery;
    }

    /** Answers with the request's headers, one {@code name: value} line each. */
    public static void echo(HttpExchange ex) throws IOException {
        drain(ex.getRequestBody());
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
            for (String v : h.getValue()) {
                sb.append(h.getKey().toLowerCase()).append(": ").append(v).append('\n');
            }
        }
        respond(ex, 200, sb.toString());
    }

    /** Answers {@code code} with {@code body} (no body when empty). */
    public static void respond(HttpExchange ex, int code, String body) throws IOException {
        drain(ex.getRequestBody());
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(code, b.length == 0 ? -1 : b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static void drain(InputStream in) throws IOException {
        byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) {
            // discard
        }
    }

    /** Sleeps, keeping the interrupt. */
    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Header lines of an {@code /echo} body as a map (first value of each name). */
    public static Map<String, String> echoed(String body) {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String line : body.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                m.putIfAbsent(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        return m;
    }
}
