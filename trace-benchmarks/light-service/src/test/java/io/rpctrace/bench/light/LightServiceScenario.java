package io.rpctrace.bench.light;

import io.rpctrace.testing.RawHttp;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the light service on a free port, asks for an item twice and for a missing one, and
 * prints {@code RESULT <name> <status> <body> <trace id>} for each; then stops.
 */
public final class LightServiceScenario {
    private LightServiceScenario() {
    }

    public static void main(String[] args) {
        ConfigurableApplicationContext ctx = LightService.start("--server.port=0");
        int code = 1;   // Tomcat's threads would keep a failed scenario alive: always exit
        try {
            int port = ((WebServerApplicationContext) ctx).getWebServer().getPort();
            result("first", RawHttp.get(port, "/items/7"));
            result("second", RawHttp.get(port, "/items/8"));
            result("missing", RawHttp.get(port, "/items/100000"));
            code = 0;
        } finally {
            System.exit(code == 0 ? SpringApplication.exit(ctx) : code);
        }
    }

    private static void result(String name, RawHttp.Response r) {
        String body = "chunked".equalsIgnoreCase(r.header("Transfer-Encoding")) ? dechunk(r.body()) : r.body();
        System.out.println("RESULT " + name + " " + r.status() + " " + body + " " + r.header("X-Trace-Id"));
    }

    /**
     * The body of a chunked response (Spring MVC streams JSON without a length). RawHttp, not an
     * instrumented client, makes the calls: each request must start a trace of its own.
     */
    private static String dechunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }
}
