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

/**
 * An application as users write it: SLF4J + Logback or Log4j2 (the first argument), root
 * INFO, no rpctrace in its code or configuration. Service {@code orders} (JDK HttpServer) calls service {@code stock} over
 * HttpURLConnection; both log at DEBUG and INFO and answer whether DEBUG was enabled; orders
 * also logs each request's headers at DEBUG, as request-logging filters do.
 * Prints {@code RESULT <request> <body>} per request sent.
 */
public final class ChainApp {
    public static void main(String[] args) throws Exception {
        AppLog ordersLog = AppLog.of(args[0], "shop.orders");
        AppLog stockLog = AppLog.of(args[0], "shop.stock");
        AppLog mainLog = AppLog.of(args[0], "shop.main");
        // a library that logs each request's headers at DEBUG (Spring's CommonsRequestLoggingFilter)
        AppLog headersLog = AppLog.of(args[0], "shop.headers");
        mainLog.info("outside before");
        HttpServer stock = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stock.createContext("/stock", ex -> {
            stockLog.debug("stock debug {}", 42);
            stockLog.info("stock info");
            reply(ex, stockLog.isDebugEnabled() ? "debug" : "plain");
        });
        stock.start();
        String stockUrl = "http://127.0.0.1:" + stock.getAddress().getPort() + "/stock";
        HttpServer orders = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        orders.createContext("/order", ex -> {
            headersLog.debug("request headers {}", new java.util.TreeMap<>(ex.getRequestHeaders()));
            ordersLog.debug("order debug {}", 7);
            ordersLog.info("order info");
            String b = get(stockUrl);
            reply(ex, (ordersLog.isDebugEnabled() ? "debug" : "plain") + "," + b);
        });
        orders.createContext("/fail", ex -> {
            ordersLog.warn("careful with {}", "order-9");
            ordersLog.put("order", "9");
            ordersLog.error("payment refused");
            ordersLog.error("payment crashed", new IllegalStateException("card expired"));
            ordersLog.remove("order");
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
        mainLog.info("outside after");
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
