package io.rpctrace.instrumentation.reactornetty;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.http.HttpRoutes;
import io.rpctrace.instrumentation.http.HttpServerCalls;
import io.rpctrace.internal.ThreadSlot;
import io.rpctrace.internal.concurrent.WeakIdentityMap;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The spans of requests being served, by the server's per-request operations object (weakly: a
 * connection dropped without any of the ending callbacks leaves nothing behind). Ending removes
 * the entry first, so a request is recorded once whichever callback comes first. A framework on
 * top (Spring WebFlux) adds the route template and the error its handlers rendered.
 */
public final class ReactorNettyServerCalls {
    /** {@code x_code} of a request the client abandoned before the response completed (nginx's 499). */
    public static final int CLIENT_CLOSED = 499;

    private static final WeakIdentityMap<Served> SERVING = new WeakIdentityMap<>();

    /**
     * The text of the socket addresses seen last, by identity: the IP ({@link #ip}) and
     * {@code ip:port} ({@link #ipPort}).
     *
     * <p>Design note: a connection's addresses are one {@code InetSocketAddress} object each
     * (Netty keeps them in the channel), and a kept-alive connection serves many requests, so the
     * text of its peer's IP and of this end's {@code ip:port} is made once per connection, not
     * per request ({@code getHostAddress()} builds a new string each time). Each table holds at
     * most sixteen addresses strongly (a few dozen bytes each); a slot is overwritten by the next
     * address that hashes to it.
     */
    private static final KeptText[] IPS = new KeptText[16];
    private static final KeptText[] IP_PORTS = new KeptText[16];

    private ReactorNettyServerCalls() {
    }

    /**
     * This thread's array for a request's header values ({@link #start}), {@code HttpServerCalls.HOST_INDEX + 1}
     * long, emptied.
     *
     * <p>Design note: the values are read only while the span starts, on the event loop, so one
     * array per thread serves all its requests instead of one per request (88 bytes). It is
     * emptied here, so an advice that failed half-way leaves nothing for the next request, and
     * by {@link #start}, so it keeps no request's header text alive.
     */
    public static String[] headerValues() {
        String[] values = HEADER_VALUES.get();
        Arrays.fill(values, null);
        return values;
    }

    private static final ThreadSlot<String[]> HEADER_VALUES =
            new ThreadSlot<String[]>() {
                @Override
                protected String[] initialValue() {
                    return new String[HttpServerCalls.HOST_INDEX + 1];
                }
            };

    /** The IP of {@code address} as text, or null (none, or unresolved). */
    public static String ip(InetSocketAddress address) {
        return text(IPS, address, false);
    }

    /** {@code ip:port} of {@code address} (http-common's {@code HttpServerCalls.ipPort}), or null. */
    public static String ipPort(InetSocketAddress address) {
        return text(IP_PORTS, address, true);
    }

    private static String text(KeptText[] table, InetSocketAddress address, boolean withPort) {
        if (address == null || address.getAddress() == null) {
            return null;
        }
        int slot = System.identityHashCode(address) & (table.length - 1);
        KeptText kept = table[slot];
        if (kept != null && kept.key == address) {
            return kept.text;
        }
        String ip = address.getAddress().getHostAddress();
        String text = withPort ? HttpServerCalls.ipPort(ip, address.getPort()) : ip;
        table[slot] = new KeptText(address, text, Long.MAX_VALUE);
        return text;
    }

    /**
     * {@code scheme + "://" + authority + uri}: the served URL of {@code x_action}, the origin
     * ({@code scheme://authority}) kept from the requests before.
     *
     * <p>Design note: a server is reached under the same few origins over and over, and the URL
     * was one concatenation per request (a {@code StringBuilder}, the arrays it grew through and the
     * final copy: about 180 B for {@code http://127.0.0.1:8080/items/42}). The origin is kept in a
     * 16-slot table by the authority's and the scheme's hash and compared by content (the
     * {@code Host} value is a new string per request), so a request makes one {@code String.concat}
     * of the origin and the target: one array of the URL's exact length and its string. Making the
     * text only when the record is encoded would save that too, but needs a two-part {@code x_action}
     * in trace-core's record (docs/RATIONALE.md, "Reactor Netty: the served URL").
     */
    static String url(String scheme, String authority, String uri) {
        int slot = (authority.hashCode() * 31 + scheme.hashCode()) & (ORIGINS.length - 1);
        KeptText known = ORIGINS[slot];
        String origin;
        if (known != null && authority.equals(known.key) && known.text.length() == scheme.length() + 3 + authority.length()
                && known.text.startsWith(scheme)) {
            origin = known.text;
        } else {
            origin = scheme + "://" + authority;
            ORIGINS[slot] = new KeptText(authority, origin, Long.MAX_VALUE);
        }
        return uri == null ? origin : origin.concat(uri);
    }

    /** The origins of {@link #url} seen last: key the authority, text {@code scheme://authority}. */
    private static final KeptText[] ORIGINS = new KeptText[16];

    private static final class Served {
        final Span span;
        /** The error a framework's error handling turned into a response (first one seen). */
        volatile Throwable handled;

        Served(Span span) {
            this.span = span;
        }
    }

    /**
     * Starts {@code request.info} for {@code ops} (its scope becomes current). {@code uri} is the
     * request target as received (path and query). {@code headerValues} (by {@code HttpServerCalls}'
     * index, as {@link #headerValues} gives it) is emptied once read.
     */
    public static Span start(Object ops, String[] headerValues, String method, String scheme, String host, String uri,
                             String peer, String serverIp) {
        int q = uri == null ? -1 : uri.indexOf('?');
        String rawQuery = q < 0 ? null : uri.substring(q + 1);
        String url = url(scheme == null ? "http" : scheme, String.valueOf(host == null ? serverIp : host), uri);
        Span span = HttpServerCalls.start(headerValues, method, url, rawQuery, peer, serverIp);
        Arrays.fill(headerValues, null);
        SERVING.put(ops, new Served(span));
        return span;
    }

    /** True while {@code ops}' request has a span that has not ended. */
    public static boolean serving(Object ops) {
        return !SERVING.neverUsed() && SERVING.get(ops) != null;
    }

    /** The trace id of {@code ops}' request while it is served here, else null. */
    public static String servingTraceId(Object ops) {
        Served served = served(ops);
        return served == null ? null : served.span.traceId();
    }

    /**
     * The framework matched the request to a route: {@code x_module} becomes
     * {@code method + " " + pattern} (http-common's {@code HttpRoutes}). Nothing for a request not
     * served here (another server under the framework). Returns whether the request is served here.
     */
    public static boolean route(Object ops, String method, String pattern) {
        Served served = served(ops);
        if (served != null) {
            HttpRoutes.apply(served.span, method, pattern);
        }
        return served != null;
    }

    /**
     * The framework's error handling got {@code thrown} from the handler: kept, and recorded if the
     * response it renders is a 5xx ({@link #completed}).
     */
    public static void handledError(Object ops, Throwable thrown) {
        Served served = served(ops);
        if (served != null && served.handled == null) {
            served.handled = thrown;
        }
    }

    /**
     * Ends the request's span with the response's status ({@code responseLen} below 0: unknown).
     * With no {@code thrown}, an error the framework rendered as a 5xx is the failure.
     */
    public static void completed(Object ops, int status, long responseLen, Throwable thrown) {
        completedServed(take(ops), status, responseLen, thrown);
    }

    /**
     * The request of {@code ops} stops being served here: what {@link #completedServed} ends, or
     * null when it was not served here or has ended. For an advice that reads the response's status
     * only for a request served here, with one map operation ({@link #serving} then
     * {@link #completed} were three).
     */
    public static Object ending(Object ops) {
        return take(ops);
    }

    /** {@link #completed} for what {@link #ending} returned (nothing for null). */
    public static void completedServed(Object ending, int status, long responseLen, Throwable thrown) {
        if (ending instanceof Served) {
            Served served = (Served) ending;
            if (thrown == null && status >= 500) {
                thrown = served.handled;
            }
            HttpServerCalls.end(served.span, status, responseLen, thrown);
        }
    }

    /** The connection closed before the response completed: {@code request.info.error}, code 499. */
    public static void cancelled(Object ops) {
        Served served = take(ops);
        if (served != null) {
            served.span.msg("client closed the connection before the response completed").failed();
            HttpServerCalls.end(served.span, CLIENT_CLOSED, -1, null);
        }
    }

    private static Served served(Object ops) {
        return ops == null || SERVING.neverUsed() ? null : SERVING.get(ops);
    }

    private static Served take(Object ops) {
        return ops == null || SERVING.neverUsed() ? null : SERVING.take(ops);
    }
}
