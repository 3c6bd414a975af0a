package io.rpctrace.instrumentation.http;

import io.rpctrace.Span;
import io.rpctrace.config.ConfigKeys;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Propagation;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.HostPorts;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.internal.Tracing;

/**
 * The library-agnostic part of every served-request instrumentation (JDK HttpServer,
 * servlets): docs/model.md#rule-1 from the request's headers, then the query string, then W3C /
 * B3 / Envoy interop; the {@code request.info} fields; the end of the request.
 *
 * <pre>{@code
 * Span span = HttpServerCalls.start(req, GETTER, "GET", url, rawQuery, peerIp, localIpPort);
 * response.setHeader(HttpServerCalls.RESPONSE_HEADER, span.traceId());
 * ... the application serves the request ...
 * HttpServerCalls.end(span, status, contentLength, thrown);
 * }</pre>
 */
public final class HttpServerCalls {
    /**
     * The response header that carries the trace id back to the caller
     * (docs/propagation.md#headers).
     */
    public static final String RESPONSE_HEADER = Propagation.TRACE_ID;
    static final String USER_AGENT = "User-Agent";
    static final String REFERER = "Referer";
    static final String CONTENT_LENGTH = "Content-Length";

    /**
     * The request attribute under which servlet instrumentation keeps a request's span, so an
     * async or error dispatch of the same request continues it instead of starting another.
     */
    public static final String SPAN_ATTRIBUTE = "io.rpctrace.span";
    /** {@code x_extra} key of the request method. */
    public static final String EXTRA_METHOD = "method";

    private static final String[] CODES = new String[600];

    /**
     * The request headers a server instrumentation reads, in this order, into the array it
     * passes to {@link #start(String[], String, String, String, String, String)}: advice reads
     * them with the library's own getter (it cannot hand a lambda over).
     */
    public static final String[] HEADERS = {
        Propagation.TRACE_ID, Propagation.RPC_ID, Propagation.DEBUG, Propagation.DEBUG_TOKEN,
        Propagation.TRACEPARENT, Propagation.TRACESTATE, Propagation.B3_TRACE_ID, Propagation.B3_SPAN_ID,
        Propagation.B3_SAMPLED, Propagation.B3_SINGLE, Propagation.REQUEST_ID,
        ClientIp.X_FORWARDED_FOR, ClientIp.X_REAL_IP, "User-Agent", "Referer", HttpServerCalls.CONTENT_LENGTH,
    };
    /**
     * Where a server that can iterate its request's headers ({@link #headerIndex}) keeps the
     * {@code Host} header in its values array: right after {@link #HEADERS}.
     */
    public static final int HOST_INDEX = HEADERS.length;
    private static final String HOST = "Host";
    /** By name length: the indexes of {@link #HEADERS} (and {@link #HOST_INDEX}) of that length. */
    private static final int[][] BY_LENGTH = new int[32][];
    private static final java.util.Map<String, Integer> INDEX = new java.util.HashMap<>();
    private static final Propagation.Getter<String[]> BY_INDEX = (values, name) -> {
        // the names asked for are the constants of HEADERS: found by reference, no hash lookup
        for (int i = 0; i < HEADERS.length; i++) {
            if (HEADERS[i] == name) {
                return values[i];
            }
        }
        Integer i = INDEX.get(name);
        return i == null ? null : values[i];
    };

    static {
        for (int i = 100; i < CODES.length; i++) {
            CODES[i] = Integer.toString(i);
        }
        for (int i = 0; i < HEADERS.length; i++) {
            INDEX.put(HEADERS[i], i);
        }
        for (int i = 0; i <= HEADERS.length; i++) {
            int length = (i == HOST_INDEX ? HOST : HEADERS[i]).length();
            int[] same = BY_LENGTH[length];
            same = same == null ? new int[1] : java.util.Arrays.copyOf(same, same.length + 1);
            same[same.length - 1] = i;
            BY_LENGTH[length] = same;
        }
    }

    private HttpServerCalls() {
    }

    /**
     * Begins serving a request: the scope of rule 1 becomes current and the returned span
     * holds the {@code request.info} fields known at the start. {@code url} is the request
     * URL (masked here); {@code peer} the TCP peer's address; {@code serverIp} this end,
     * {@code ip:port}. Never throws on hostile headers.
     */
    public static <C> Span start(C request, Propagation.Getter<C> headers, String method, String url,
                                 String rawQuery, String peer, String serverIp) {
        Scope scope = Propagation.extract(request, headers, rawQuery);
        Span span = SpanHooks.enter(scope);
        span.action(UrlMasker.mask(url))
                .clientIp(ClientIp.resolve(header(request, headers, ClientIp.X_FORWARDED_FOR),
                        header(request, headers, ClientIp.X_REAL_IP), peer))
                .userAgent(header(request, headers, USER_AGENT))
                .source(header(request, headers, REFERER))
                .serverIp(serverIp);
        if (method != null) {
            span.extra(EXTRA_METHOD, method);
        }
        SpanHooks.requestLen(span, contentLength(header(request, headers, CONTENT_LENGTH))); // metric.ip bytes_in
        if (rawQuery != null && !rawQuery.isEmpty() && (scope.debug() || captureParam())) {
            span.param(QueryParams.toJson(rawQuery));
        }
        return span;
    }

    /**
     * Like {@link #start(Object, Propagation.Getter, String, String, String, String, String)}
     * with the values of {@link #HEADERS} (same order; null when absent) read by the advice.
     */
    public static Span start(String[] headerValues, String method, String url, String rawQuery, String peer,
                             String serverIp) {
        return start(headerValues, BY_INDEX, method, url, rawQuery, peer, serverIp);
    }

    /**
     * The index in {@link #HEADERS} of the request header named {@code name} (case-insensitive),
     * {@link #HOST_INDEX} for {@code Host}, or -1: for a server whose advice reads all the request's
     * headers in one pass over them (a values array of {@code HEADERS.length + 1}, the first value
     * of a repeated header kept) instead of a lookup by name for each of the seventeen.
     */
    public static int headerIndex(CharSequence name) {
        int length = name.length();
        int[] candidates = length < BY_LENGTH.length ? BY_LENGTH[length] : null;
        if (candidates != null) {
            for (int i : candidates) {
                if (equalsIgnoreCase(name, i == HOST_INDEX ? HOST : HEADERS[i])) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean equalsIgnoreCase(CharSequence a, String b) {
        for (int i = 0; i < b.length(); i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y && asciiLower(x) != asciiLower(y)) {
                return false;
            }
        }
        return true;
    }

    /** Header names are ASCII and compared as such (Netty's {@code AsciiString} does the same). */
    private static char asciiLower(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c;
    }

    /**
     * Ends a served request: {@code x_code} is the status, or 500 when the application threw
     * before setting an error status; a 5xx status or a throwable makes it
     * {@code request.info.error}. {@code responseLen} below 0 means unknown.
     */
    public static void end(Span span, int status, long responseLen, Throwable thrown) {
        if (span == null) {
            return;
        }
        if (thrown != null && status < 400) {
            status = 500;
        }
        span.code(code(status));
        if (responseLen >= 0) {
            span.responseLen(responseLen);
        }
        if (thrown != null) {
            span.error(thrown);
        } else if (status >= 500) {
            span.failed();
        }
        span.close();
    }

    /**
     * Makes the scope of a request that is already being served current again (an async or
     * error dispatch on another thread); returns what {@link #leave} needs.
     */
    public static Object resume(Span span) {
        return new Resumed(CurrentScope.set(SpanHooks.scope(span)));
    }

    /** Undoes {@link #resume}. */
    public static void leave(Object resumed) {
        if (resumed instanceof Resumed) {
            CurrentScope.restore(((Resumed) resumed).previous);
        }
    }

    private static final class Resumed {
        final Scope previous;

        Resumed(Scope previous) {
            this.previous = previous;
        }
    }

    /** The status as a string without allocating for 100-599; null for an unknown status (≤ 0). */
    public static String code(int status) {
        if (status >= 100 && status < CODES.length) {
            return CODES[status];
        }
        return status <= 0 ? null : Integer.toString(status);
    }

    /** {@code Content-Length} as a number, or -1 when absent or not a number. */
    public static long contentLength(String value) {
        if (value == null || value.isEmpty() || value.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    /** True for a {@code Transfer-Encoding} header that ends with {@code chunked} (a body of unknown length). */
    public static boolean chunked(String transferEncoding) {
        if (transferEncoding == null) {
            return false;
        }
        String t = transferEncoding.trim();
        return t.regionMatches(true, t.length() - 7, "chunked", 0, 7);
    }

    /**
     * A request body of unknown length counted as the application reads it (no copy): for
     * {@link SpanHooks#requestLen} at the end of the request. Only for chunked bodies, so a request
     * with a {@code Content-Length} allocates nothing.
     */
    public static CountingInputStream countingBody(java.io.InputStream body) {
        return new CountingInputStream(body);
    }

    /**
     * At the end of a request whose body was {@linkplain #countingBody counted}: the bytes read
     * become its {@code metric.ip} {@code bytes_in}. Nothing for any other body.
     */
    public static void bodyRead(Span span, Object body) {
        SpanHooks.requestLen(span, bodyBytesRead(body));
    }

    /** The bytes read through {@code body} when it is one of {@link #countingBody}, else -1. */
    public static long bodyBytesRead(Object body) {
        return body instanceof CountingInputStream ? ((CountingInputStream) body).count() : -1;
    }

    /** {@code ip:port} ({@code [v6]:port}), the same instance for the same end (HostPorts). */
    public static String ipPort(String ip, int port) {
        return HostPorts.of(ip, port);
    }

    private static volatile Tracing captureFor;
    private static volatile boolean capture;

    /** {@code capture.param}, read once per tracer (a map lookup per request is not free). */
    static boolean captureParam() {
        Tracing t = Tracing.get();
        if (captureFor != t) {
            capture = t.config().getBoolean(ConfigKeys.CAPTURE_PARAM, false);
            captureFor = t;
        }
        return capture;
    }

    private static <C> String header(C carrier, Propagation.Getter<C> headers, String name) {
        try {
            String v = headers.get(carrier, name);
            return v == null || v.isEmpty() ? null : v;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
