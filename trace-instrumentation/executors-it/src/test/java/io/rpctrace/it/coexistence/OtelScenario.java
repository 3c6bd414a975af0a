package io.rpctrace.it.coexistence;

import com.sun.net.httpserver.HttpServer;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Child-JVM main for the run with the OpenTelemetry javaagent as well: an HTTP call on
 * loopback that OpenTelemetry records, made from a pool task that rpctrace propagates to.
 */
public final class OtelScenario {
    public static void main(String[] args) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hello", exchange -> {
            byte[] body = "hello".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hello";
        try (Span req = Trace.enter(null, null)) {
            String answer = pool.submit(() -> {
                Trace.info("otel-task", "calling " + url);
                HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
                try (InputStream in = c.getInputStream()) {
                    return c.getResponseCode() + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }).get();
            System.out.println("answer=" + answer);
            System.out.println("task_id=" + pool.submit(Trace::rpcId).get());
        }
        pool.shutdown();
        server.stop(0);
    }
}
