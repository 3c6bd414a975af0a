package io.rpctrace.it.springboot;

import io.rpctrace.testing.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot application as users write it (spring-boot-starter-web, Logback configured by
 * Spring Boot from {@code logging.pattern.console}), nothing of rpctrace in it. {@code /order}
 * calls {@code /stock} of the same application over HTTP; {@code /fail} throws (Spring Boot's
 * error page answers). Main sends a debug, a plain and a wrong-token request and one that fails,
 * and prints {@code RESULT <request> <body> <trace id>}.
 */
@SpringBootApplication
@RestController
public class ShopApplication {
    private static final Logger ORDERS = LoggerFactory.getLogger("shop.orders");
    private static final Logger STOCK = LoggerFactory.getLogger("shop.stock");
    private static volatile int port;

    @GetMapping("/order")
    public String order() throws IOException {
        ORDERS.debug("order debug {}", 7);
        ORDERS.info("order info");
        String stock = get("http://127.0.0.1:" + port + "/stock");
        return (ORDERS.isDebugEnabled() ? "debug" : "plain") + "," + stock;
    }

    @GetMapping("/stock")
    public String stock() {
        STOCK.debug("stock debug {}", 42);
        STOCK.warn("stock low");
        return STOCK.isDebugEnabled() ? "debug" : "plain";
    }

    @GetMapping("/fail")
    public String fail() {
        throw new IllegalStateException("out of stock");
    }

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(ShopApplication.class);
        app.setDefaultProperties(Map.of(
                "server.port", "0",
                "server.address", "127.0.0.1",
                "spring.main.banner-mode", "off",
                "logging.pattern.console", "LOG %-5level %logger [%X{x_trace_id}|%X{x_rpc_id}] %msg%n"));
        ConfigurableApplicationContext ctx = app.run(args);
        port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
        LoggerFactory.getLogger("shop.main").info("started");
        result("debug", RawHttp.get(port, "/order", "X-Debug: 1", "X-Debug-Token: s3cret"));
        result("plain", RawHttp.get(port, "/order"));
        result("wrong", RawHttp.get(port, "/order", "X-Debug: 1", "X-Debug-Token: guess"));
        RawHttp.Response fail = RawHttp.get(port, "/fail");
        System.out.println("RESULT fail " + fail.status() + "," + fail.content().length() + " " + fail.header("X-Trace-Id"));
        System.exit(SpringApplication.exit(ctx));
    }

    private static void result(String name, RawHttp.Response r) {
        System.out.println("RESULT " + name + " " + r.body() + " " + r.header("X-Trace-Id"));
    }

    private static String get(String url) throws IOException {
        HttpURLConnection con = (HttpURLConnection) new URL(url).openConnection();
        try (InputStream in = con.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
