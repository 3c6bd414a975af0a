package io.rpctrace.instrumentation.reactornetty;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.http.HttpServerCalls;
import io.rpctrace.internal.concurrent.WeakIdentityMap;

/**
 * The spans of requests being served, by the server's per-request operations object (weakly: a
 * connection dropped without any of the ending callbacks leaves nothing behind). Ending removes
 * the entry first, so a request is recorded once whichever callback comes first.
 */
public final class ReactorNettyServerCalls {
    /** {@code x_code} of a request the client abandoned before the response completed (nginx's 499). */
    public static final int CLIENT_CLOSED = 499;

    private static final WeakIdentityMap<Span> SERVING = new WeakIdentityMap<>();

    private ReactorNettyServerCalls() {
    }

    /**
     * Starts {@code request.info} for {@code ops} (its scope becomes current). {@code uri} is the
     * request target as received (path and query).
     */
    public static Span start(Object ops, String[] headerValues, String method, String scheme, String host, String uri,
                             String peer, String serverIp) {
        int q = uri == null ? -1 : uri.indexOf('?');
        String rawQuery = q < 0 ? null : uri.substring(q + 1);
        String url = (scheme == null ? "http" : scheme) + "://" + (host == null ? serverIp : host) + (uri == null ? "" : uri);
        Span span = HttpServerCalls.start(headerValues, method, url, rawQuery, peer, serverIp);
        SERVING.put(ops, span);
        return span;
    }

    /** True while {@code ops}' request has a span that has not ended. */
    public static boolean serving(Object ops) {
        return !SERVING.isEmpty() && SERVING.get(ops) != null;
    }

    /** Ends the request's span with the response's status ({@code responseLen} below 0: unknown). */
    public static void completed(Object ops, int status, long responseLen, Throwable thrown) {
        Span span = take(ops);
        if (span != null) {
            HttpServerCalls.end(span, status, responseLen, thrown);
        }
    }

    /** The connection closed before the response completed: {@code request.info.error}, code 499. */
    public static void cancelled(Object ops) {
        Span span = take(ops);
        if (span != null) {
            span.msg("client closed the connection before the response completed").failed();
            HttpServerCalls.end(span, CLIENT_CLOSED, -1, null);
        }
    }

    private static Span take(Object ops) {
        if (SERVING.isEmpty()) {
            return null;
        }
        Span span = SERVING.get(ops);
        if (span != null) {
            SERVING.remove(ops);
        }
        return span;
    }
}
