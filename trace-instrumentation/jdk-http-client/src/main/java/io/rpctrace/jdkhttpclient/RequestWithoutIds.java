package io.rpctrace.jdkhttpclient;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Copies a {@code java.net.http.HttpRequest} without the headers rpctrace writes: what
 * {@code HttpRequest.newBuilder(request, filter)} of JDK 16 does, on JDK 11. Called through
 * {@code io.rpctrace.instrumentation.jdkhttpclient.OwnIdHeaders.copyWithout} only when the
 * request carries one of them.
 *
 * <p>Helper class: it names {@code java.net.http} types, which the boot class path cannot see,
 * so the agent defines it next to that module (io.rpctrace.internal.HelperClasses) from the
 * agent jar's {@code rpctrace-helpers/}; compiled for Java 11 like the module's advice.
 */
public final class RequestWithoutIds implements BiFunction<Object, String[], Object> {
    /** For {@code HelperClasses.instance}. */
    public RequestWithoutIds() {
    }

    /**
     * A copy of {@code request} (an {@code HttpRequest}) with the same URI, method, body, timeout,
     * version and {@code Expect: 100-continue}, and its headers except those named in {@code h}
     * (name, value, name, value…; names compared ignoring case).
     */
    @Override
    public Object apply(Object request, String[] h) {
        HttpRequest r = (HttpRequest) request;
        HttpRequest.Builder b = HttpRequest.newBuilder(r.uri()).expectContinue(r.expectContinue());
        if (r.timeout().isPresent()) {
            b.timeout(r.timeout().get());
        }
        if (r.version().isPresent()) {
            b.version(r.version().get());
        }
        for (Map.Entry<String, List<String>> e : r.headers().map().entrySet()) {
            if (!named(e.getKey(), h)) {
                for (String v : e.getValue()) {
                    b.header(e.getKey(), v);
                }
            }
        }
        String method = r.method();
        if (r.bodyPublisher().isPresent()) {
            b.method(method, r.bodyPublisher().get());
        } else if ("GET".equals(method)) {
            b.GET();
        } else if ("DELETE".equals(method)) {
            b.DELETE();
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    private static boolean named(String name, String[] h) {
        for (int i = 0; i < h.length; i += 2) {
            if (h[i].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }
}
