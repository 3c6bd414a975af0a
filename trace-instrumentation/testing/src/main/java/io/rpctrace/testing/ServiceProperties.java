package io.rpctrace.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * What the Spring Boot services of a multi-JVM test (the Spring Cloud Gateway it-modules) share: a
 * port given on the command line, the loopback address, and a console pattern that prints the ids
 * the agent puts in the MDC, as a user's {@code application.properties} would.
 */
public final class ServiceProperties {
    /** The debug secret every service is configured with (agent argument {@code debug.token}). */
    public static final String DEBUG_SECRET = "s3cret";

    private ServiceProperties() {
    }

    /** Spring Boot properties for a service on {@code port}, plus {@code more} ({@code key, value, ...}). */
    public static Map<String, Object> of(String port, String... more) {
        Map<String, Object> p = new HashMap<>();
        p.put("server.port", port);
        p.put("server.address", "127.0.0.1");
        p.put("spring.main.banner-mode", "off");
        p.put("logging.pattern.console", "LOG %-5level %logger [%X{x_trace_id}|%X{x_rpc_id}] %msg%n");
        for (int i = 0; i + 1 < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return p;
    }

    /** "debug" when {@code debugEnabled} (debug mode for this request), else "plain". */
    public static String mode(boolean debugEnabled) {
        return debugEnabled ? "debug" : "plain";
    }
}
