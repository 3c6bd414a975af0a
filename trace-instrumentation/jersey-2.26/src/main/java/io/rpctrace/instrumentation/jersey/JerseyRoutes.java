package io.rpctrace.instrumentation.jersey;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.http.HttpRoutes;
import io.rpctrace.internal.AdviceErrors;

/**
 * The route of a request Jersey matched: the application's base path and the JAX-RS templates
 * from the root resource to the resource method, e.g. base {@code /api/} with templates
 * {@code /owners} and {@code /{id}} is {@code /api/owners/{id}}.
 *
 * <pre>{@code
 * // ResourceMethodInvoker.apply's enter advice, templates as ExtendedUriInfo lists them:
 * JerseyRoutes.matched(span, "GET", "/api/", new String[] {"/{id}", "/owners"});
 * }</pre>
 */
public final class JerseyRoutes {
    private JerseyRoutes() {
    }

    /**
     * Gives {@code span} (the servlet module's {@code request.info}, when it is one) the route as
     * its {@code x_module}. {@code templates} are most recent first, as
     * {@code ExtendedUriInfo.getMatchedTemplates()} lists them.
     */
    public static void matched(Object span, String method, String basePath, String[] templates) {
        try {
            if (span instanceof Span) {
                HttpRoutes.apply((Span) span, method, route(basePath, templates));
            }
        } catch (RuntimeException e) {
            AdviceErrors.record(e);
        }
    }

    /** The route, or null when Jersey matched no template. */
    static String route(String basePath, String[] templates) {
        if (templates == null || templates.length == 0) {
            return null;
        }
        StringBuilder route = new StringBuilder(64);
        append(route, basePath);
        for (int i = templates.length - 1; i >= 0; i--) {
            append(route, templates[i]);
        }
        if (route.length() == 0) {
            route.append('/');
        }
        return route.toString();
    }

    /** Appends {@code part} with exactly one slash before it and none at its end. */
    private static void append(StringBuilder route, String part) {
        if (part == null) {
            return;
        }
        int from = 0;
        int to = part.length();
        while (from < to && part.charAt(from) == '/') {
            from++;
        }
        while (to > from && part.charAt(to - 1) == '/') {
            to--;
        }
        if (from < to) {
            route.append('/').append(part, from, to);
        }
    }
}
