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
        if (span == null || !(pattern instanceof String)) {
            return;
        }
        String p = (String) pattern;
        if (p.isEmpty() || p.length() > MAX_LENGTH || p.charAt(0) != '/') {
            return;
        }
        span.module(method == null ? p : method + ' ' + p);
    }
}
