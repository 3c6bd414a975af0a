package io.rpctrace.instrumentation.http;

import io.rpctrace.Span;

/**
 * The templated route of a served request, where the framework knows it: it becomes the
 * {@code x_module} of {@code request.info} ({@code GET /users/{id}}), so the module timers of
 * docs/metrics.md key on the route, never on a URL with ids in it; {@code x_action} stays the URL.
 *
 * <pre>{@code
 * // exit advice of the outermost servlet / filter:
 * HttpRoutes.apply(span, req.getMethod(), req.getAttribute(HttpRoutes.SPRING_MVC_PATTERN));
 * }</pre>
 */
public final class HttpRoutes {
    /**
     * The request attribute in which Spring MVC ({@code HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE},
     * 3.0 to 7.x) keeps the pattern of the handler that matched, e.g. {@code /users/{id}}.
     */
    public static final String SPRING_MVC_PATTERN = "org.springframework.web.servlet.HandlerMapping.bestMatchingPattern";

    /** Longer patterns are not routes (and would make long metric keys). */
    static final int MAX_LENGTH = 256;

    private HttpRoutes() {
    }

    /** Sets {@code x_module} to {@code method + " " + pattern} when {@code pattern} is a route. */
    public static void apply(Span span, String method, Object pattern) {
        if (span == null) {
            return;
        }
        String module = module(method, pattern);
        if (module != null) {
            span.module(module);
        }
    }

    /**
     * {@code method + " " + pattern}, or null when {@code pattern} is not a route; the same string
     * for the same method and pattern while it stays in {@link #MODULES}.
     */
    static String module(String method, Object pattern) {
        if (!(pattern instanceof String)) {
            return null;
        }
        String p = (String) pattern;
        if (p.isEmpty() || p.length() > MAX_LENGTH || p.charAt(0) != '/') {
            return null;
        }
        if (method == null) {
            return p;
        }
        // String caches its hash: for the frameworks' own pattern and method constants this is two loads
        int slot = (p.hashCode() * 31 + method.hashCode()) & (MODULES.length - 1);
        String[] known = MODULES[slot];
        if (known != null) {
            String module = known[2];
            if (module != null && (p == known[1] || p.equals(known[1]))
                    && (method == known[0] || method.equals(known[0]))) {
                return module;
            }
        }
        String module = method + ' ' + p;
        MODULES[slot] = new String[] {method, p, module};
        return module;
    }

    /**
     * The {@code x_module} of the routes seen last, by method and pattern.
     *
     * <p>Design note: a service serves the same few routes over and over, and the route's text was
     * made per request (one string and its bytes, ~60 B for {@code GET /items/{id}}). A slot is
     * overwritten by the next route that hashes to it; the table holds at most 64 patterns of at
     * most {@link #MAX_LENGTH} characters. An entry is {@code {method, pattern, module}}, written
     * once before it is published: a racing reader that sees an element still null takes it for a
     * miss and makes the text itself.
     */
    private static final String[][] MODULES = new String[64][];
}
