package io.rpctrace.examples.shop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rpctrace.Trace;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shop's front door (JDK {@code HttpServer}): {@code POST /orders} is passed on to the
 * orders service with the JDK {@code HttpClient}; {@code POST /notifications} takes the
 * notifier's messages for customers.
 */
public final class Gateway {
    private static final Logger log = LoggerFactory.getLogger(Gateway.class);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();
    private final URI ordersUri;

    private Gateway(URI ordersUri) {
        this.ordersUri = ordersUri;
    }

    public static void main(String[] args) throws IOException {
        Gateway gateway = new Gateway(URI.create("http://127.0.0.1:" + Shop.port("orders") + "/orders"));
        ExecutorService workers = Executors.newFixedThreadPool(8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Shop.port("gateway")), 64);
        server.createContext("/orders", gateway::placeOrder);
        server.createContext("/notifications", gateway::notification);
        server.setExecutor(workers);
        server.start();
        log.info("gateway listening on {}", server.getAddress());
        System.out.println(Shop.READY);
    }

    private void placeOrder(HttpExchange ex) throws IOException {
        if (!"POST".equals(ex.getRequestMethod())) {
            reply(ex, 405, Shop.json("error", "POST only"));
            return;
        }
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        log.debug("order request from {}: {}", ex.getRemoteAddress(), body);
        HttpRequest.Builder forward = HttpRequest.newBuilder(ordersUri)
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        String customer = ex.getRequestHeaders().getFirst("X-Customer");
        if (customer != null) {
            forward.header("X-Customer", customer);
        }
        try {
            HttpResponse<String> r = http.send(forward.build(), HttpResponse.BodyHandlers.ofString());
            log.debug("orders answered {}: {}", r.statusCode(), r.body());
            Trace.info("gateway_orders", "order answered " + r.statusCode());
            reply(ex, r.statusCode(), r.body());
        } catch (IOException e) {
            log.error("orders is unreachable", e);
            reply(ex, 502, Shop.json("error", "orders unreachable"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(ex, 503, Shop.json("error", "interrupted"));
        }
    }

    private void notification(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        log.debug("notification payload {}", body);
        log.info("customer notified: {}", body);
        reply(ex, 204, null);
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            ex.close();
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
