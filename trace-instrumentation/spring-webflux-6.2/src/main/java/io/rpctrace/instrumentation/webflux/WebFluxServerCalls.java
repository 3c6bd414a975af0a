package io.rpctrace.instrumentation.webflux;

import io.rpctrace.instrumentation.reactornetty.ReactorNettyServerCalls;

/**
 * What the WebFlux advice tells the request being served, by the server's native request (Reactor
 * Netty's per-request operations, whose {@code request.info} the {@code reactor-netty} module
 * writes). Only JDK types here: this class is loaded outside the application's class loader, so the
 * advice reads Spring's objects and passes plain values.
 */
public final class WebFluxServerCalls {
    private WebFluxServerCalls() {
    }

    /**
     * The handler that will serve the request matched {@code pattern} (a {@code PathPattern}, or
     * null when the handler mapping keeps none): it becomes {@code x_module}, {@code method + " " +
     * pattern}, as Spring MVC's does on a servlet container.
     */
    public static void matched(Object nativeRequest, String method, Object pattern) {
        if (pattern != null) {
            ReactorNettyServerCalls.route(nativeRequest, method, pattern.toString());
        }
    }

    /**
     * Spring's error handling got {@code thrown} from the handler chain: if the response it renders
     * is a 5xx, the request's record carries it (a 4xx from a {@code ResponseStatusException} is an
     * answer, not a failure, as on a servlet container).
     */
    public static void handling(Object nativeRequest, Throwable thrown) {
        ReactorNettyServerCalls.handledError(nativeRequest, thrown);
    }
}
