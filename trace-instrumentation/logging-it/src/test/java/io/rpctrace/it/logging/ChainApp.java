package io.rpctrace.it.logging;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rpctrace.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * An application as users write it: SLF4J + Logback, root INFO, no rpctrace in its code or
 * configuration. Service {@code orders} (JDK HttpServer) calls service {@code stock} over
 * HttpURLConnection; both log at DEBUG and INFO and answer whether DEBUG was enabled.
 * Prints {@code RESULT <request> <body>} per request sent.
 */
public final class ChainApp {
    static final Logger ORDERS = LoggerFactory.getLogger("shop.orders");
    static final Logger STOCK = LoggerFactory.getLogger("shop.stock");
    static final Logger MAIN = LoggerFactory.getLogger("shop.main");

    public static void main(String[] args) throws Exception {
        MAIN.info("outside before");
        HttpServer stock = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stock.createContext("/stock", ex -> {
            STOCK.debug("stock debug {}", 42);
            STOCK.info("stock info");
            reply(ex, STOCK.isDebugEnabled() ? "debug" : "plain");
        });
        stock.start();
        String stockUrl = "http://127.0.0.1:" + stock.getAddress().getPort() + "/stock";
        HttpServer orders = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        orders.createContext("/order", ex -> {
            ORDERS.debug("order debug {}", 7);
            ORDERS.info("order info");
            String b = get(stockUrl);
            reply(ex, (ORDERS.isDebugEnabled() ? "debug" : "plain") + "," + b);
        });
        orders.createContext("/fail", ex -> {
            ORDERS.warn("careful with {}", "order-9");
            MDC.put("order", "9");
            ORDERS.error("payment refused");
            ORDERS.error("payment crashed", new IllegalStateException("card expired"));
            MDC.remove("order");
            reply(ex, "failed");
        });
        orders.start();
        int port = orders.getAddress().getPort();
        try {
            result("debug", RawHttp.get(port, "/order", "X-Debug: 1", "X-Debug-Token: s3cret"));
            result("plain", RawHttp.get(port, "/order"));
            result("wrong", RawHttp.get(port, "/order", "X-Debug: 1", "X-Debug-Token: guess"));
            result("fail", RawHttp.get(port, "/fail"));
        } finally {
            orders.stop(0);
            stock.stop(0);
        }
        MAIN.info("outside after");
    }

    private static void result(String name, RawHttp.Response r) {
        System.out.println("RESULT " + name + " " + r.body() + " " + r.header("X-Trace-Id"));
    }

    static void reply(HttpExchange ex, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    static String get(String url) throws IOException {
        HttpURLConnection con = (HttpURLConnection) new URL(url).openConnection();
        try (InputStream in = con.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
