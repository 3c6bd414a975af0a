package io.rpctrace.it.webflux;

import io.rpctrace.testing.RawHttp;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service's scenarios in a JVM of their own, with or without the agent: prints
 * {@code RESULT <target> <status> <body>} per request (error bodies carry a time and a request id,
 * so only their status), then exits. Every request comes from one client IP behind a proxy
 * ({@code X-Forwarded-For: 203.0.113.7}) for the {@code metric.ip} check.
 */
public final class ShopScenario {
    static final String[] TARGETS = {"/users/42", "/orders/8", "/fn/items/9", "/fn/shops/s1/items/i2", "/boom/5",
        "/missing/5", "/debug/1"};

    private ShopScenario() {
    }

    public static void main(String[] args) throws Exception {
        Path log = Files.createTempFile("shop-scenario", ".log");
        ConfigurableApplicationContext ctx = ShopApp.start(log.toString());
        ShopApp.connect();
        int code = 0;
        try {
            for (String target : TARGETS) {
                RawHttp.Response r = RawHttp.get(ShopApp.port(), target, "X-Forwarded-For: 203.0.113.7");
                System.out.println("RESULT " + target + " " + r.status() + (r.status() < 400 ? " " + r.body() : ""));
            }
        } catch (RuntimeException e) {
            e.printStackTrace();
            code = 1;
        } finally {
            ShopApp.disconnect();
            Files.deleteIfExists(log);
        }
        System.exit(Math.max(code, SpringApplication.exit(ctx)));
    }
}
