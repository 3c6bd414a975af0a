package io.rpctrace.instrumentation.http;

import io.rpctrace.Span;
import io.rpctrace.context.Propagation;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.internal.ThreadSlot;
import io.rpctrace.internal.concurrent.WeakIdentityMap;
import io.rpctrace.record.RecordNames;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The library-agnostic part of every HTTP client instrumentation: docs/model.md#rule-2 (one
 * {@code http.<method>} record per call, its id sent downstream with the headers of
 * docs/propagation.md#headers), the record's fields, and the stable failure classes of
 * {@link NetworkErrors}.
 *
 * <pre>{@code
 * Span call = HttpClientCalls.start("GET", url);
 * HttpClientCalls.inject(call, request, (r, k, v) -> r.setHeader(k, v));
 * try {
 *     Response rsp = send(request);
 *     HttpClientCalls.end(call, rsp.code(), rsp.contentLength(), HttpClientCalls.host(h, port));
 * } catch (IOException e) {
 *     HttpClientCalls.fail(call, e, false, HttpClientCalls.host(h, port));
 *     throw e;
 * }
 * }</pre>
 */
public final class HttpClientCalls {
    /** {@code x_extra} keys of the connection phases, seconds (where the client exposes them). */
    public static final String EXTRA_CONNECT_S = "connect_s";
    public static final String EXTRA_TLS_S = "tls_s";

    // Design note: advice may add no fields to library classes (retransformation, other agents),
    // so a call that spans several methods of one object (HttpURLConnection: connect, then
    // getOutputStream, then getInputStream) is found through a weak identity map, and a call
    // handed from one method to a constructor it invokes on the same thread through a thread slot (ThreadSlot).
    private static final WeakIdentityMap<Object> BY_OBJECT = new WeakIdentityMap<>();
    private static final Object FINISHED = new Object();
    private static final WeakIdentityMap<long[]> PHASES = new WeakIdentityMap<>();

    /** Connection phases a client reports ({@link #phase}), indexes into the times of one call. */
    public static final int DNS_START = 0;
    public static final int DNS_END = 1;
    public static final int CONNECT_START = 2;
    public static final int CONNECT_END = 3;
    public static final int TLS_START = 4;
    public static final int TLS_END = 5;
    private static final ThreadSlot<Span> PENDING = new ThreadSlot<>();

    private HttpClientCalls() {
    }

    /** Associates {@code call} with a library object (a connection) until {@link #detach}. */
    public static void attach(Object owner, Span call) {
        BY_OBJECT.put(owner, call);
    }

    /** The call associated with {@code owner}, or null (also once it is {@linkplain #finish finished}). */
    public static Span attached(Object owner) {
        Object o = BY_OBJECT.get(owner);
        return o instanceof Span ? (Span) o : null;
    }

    /**
     * True when {@code owner} had a call already, running or finished: a library object that
     * re-enters an instrumented method after its call ended ({@code getResponseCode} calling
     * {@code getInputStream} again after a failure) must not start a second one.
     */
    public static boolean seen(Object owner) {
        return BY_OBJECT.get(owner) != null;
    }

    /** Marks the call of {@code owner} as ended; the entry goes away with {@code owner}. */
    public static void finish(Object owner) {
        BY_OBJECT.put(owner, FINISHED);
    }

    /**
     * Notes the time of a connection phase of a library call object (OkHttp's {@code Call}); the
     * first report of each phase wins. Read back by {@link #phasesInto}.
     */
    public static void phase(Object libraryCall, int phase) {
        if (libraryCall == null) {
            return;
        }
        long[] t = PHASES.get(libraryCall);
        if (t == null) {
            t = new long[6];
            long[] raced = PHASES.putIfAbsent(libraryCall, t);
            if (raced != null) {
                t = raced;
            }
        }
        if (t[phase] == 0) {
            t[phase] = System.nanoTime();
        }
    }

    /**
     * Writes the phases noted for {@code libraryCall} into {@code call}: {@code x_dns_duration},
     * and {@code x_extra} {@code connect_s} / {@code tls_s} (seconds); nothing for a pooled
     * connection (no phase happened). Forgets them.
     */
    public static void phasesInto(Object libraryCall, Span call) {
        if (libraryCall == null) {
            return;
        }
        long[] t = PHASES.get(libraryCall);
        if (t == null) {
            return;
        }
        PHASES.remove(libraryCall);
        if (t[DNS_START] != 0 && t[DNS_END] >= t[DNS_START]) {
            call.dnsNanos(t[DNS_END] - t[DNS_START]);
        }
        if (t[CONNECT_START] != 0 && t[CONNECT_END] >= t[CONNECT_START]) {
            call.extra(EXTRA_CONNECT_S, (t[CONNECT_END] - t[CONNECT_START]) / 1e9);
        }
        if (t[TLS_START] != 0 && t[TLS_END] >= t[TLS_START]) {
            call.extra(EXTRA_TLS_S, (t[TLS_END] - t[TLS_START]) / 1e9);
        }
    }

    /** Hands {@code call} to code the current method runs next on this thread (null clears). */
    public static void pending(Span call) {
        if (call == null) {
            PENDING.set(null);
        } else {
            PENDING.set(call);
        }
    }

    /** The call handed over with {@link #pending}, once; null when none. */
    public static Span takePending() {
        Span s = PENDING.get();
        if (s != null) {
            PENDING.set(null);
        }
        return s;
    }

    /** Begins an outgoing call: {@code http.<method>} with the next id of the current scope (rule 2). */
    public static Span start(String method, String url) {
        return SpanHooks.call(RecordNames.http(method)).action(UrlMasker.mask(url));
    }

    /** Writes the headers of docs/propagation.md#headers for {@code call} on {@code carrier}. */
    public static <C> void inject(Span call, C carrier, Propagation.Setter<C> setter) {
        Propagation.inject(carrier, setter, SpanHooks.scope(call), call.rpcId(), false);
    }

    /**
     * The headers of docs/propagation.md#headers for {@code call} as
     * {@code name, value, name, value, ...}: for advice, which cannot pass a lambda.
     */
    public static String[] headers(Span call) {
        Pairs pairs = new Pairs();
        Propagation.inject(pairs, Pairs.SETTER, SpanHooks.scope(call), call.rpcId(), false);
        return pairs.toArray();
    }

    /**
     * The name/value pairs of {@link #headers}: sized for the usual three headers (ids and
     * {@code traceparent}), so the common call allocates this and its array only, with no
     * capturing lambda and no final copy.
     */
    private static final class Pairs {
        static final Propagation.Setter<Pairs> SETTER = Pairs::add;
        private String[] values = new String[6];
        private int n;

        private void add(String name, String value) {
            if (n + 2 > values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[n++] = name;
            values[n++] = value;
        }

        String[] toArray() {
            return n == values.length ? values : Arrays.copyOf(values, n);
        }
    }

    /**
     * Ends a call that got a response: {@code x_code} is the status; 4xx and 5xx make it
     * {@code http.<method>.error} (the call did not do what the caller wanted). A
     * {@code responseLen} below 0 means unknown; {@code host} may be null.
     */
    public static void end(Span call, int status, long responseLen, String host) {
        if (call == null) {
            return;
        }
        call.code(HttpServerCalls.code(status));
        if (responseLen >= 0) {
            call.responseLen(responseLen);
        }
        if (host != null) {
            call.host(host);
        }
        if (status >= 400) {
            call.failed();
        }
        call.close();
    }

    /**
     * Ends a call that failed without a response: {@code http.<method>.error} with the class
     * of {@link NetworkErrors#classify} in {@code x_code} and the exception in {@code x_msg}.
     */
    public static void fail(Span call, Throwable t, boolean connecting, String host) {
        if (call == null) {
            return;
        }
        call.code(NetworkErrors.classify(t, connecting));
        if (host != null) {
            call.host(host);
        }
        call.msg(NetworkErrors.describe(t)).error(t).close();
    }

    /**
     * The remote end as {@code ip:port}: an IP literal as it is, a name through the JVM's
     * address cache (the client resolved it a moment ago, so this does not query DNS again
     * in practice); the name when it does not resolve.
     */
    public static String host(String hostName, int port) {
        if (hostName == null || hostName.isEmpty()) {
            return null;
        }
        String h = hostName;
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (!isLiteral(h)) {
            try {
                h = InetAddress.getByName(h).getHostAddress();
            } catch (UnknownHostException | SecurityException e) {
                // keep the name: the record still says where the call went
            }
        }
        return port < 0 ? h : HttpServerCalls.ipPort(h, port);
    }

    /** The name as {@code name:port} without resolving it (for failed calls: DNS may be the problem). */
    public static String unresolved(String hostName, int port) {
        if (hostName == null || hostName.isEmpty()) {
            return null;
        }
        return port < 0 ? hostName : hostName + ':' + port;
    }

    /** The port of a URL: the explicit one, else 443 for https and 80 otherwise. */
    public static int port(String scheme, int explicitPort) {
        if (explicitPort > 0) {
            return explicitPort;
        }
        return "https".equalsIgnoreCase(scheme) || "wss".equalsIgnoreCase(scheme) ? 443 : 80;
    }

    private static boolean isLiteral(String h) {
        if (h.indexOf(':') >= 0) {
            return true; // IPv6
        }
        int dots = 0;
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c < '0' || c > '9') {
                return false;
            }
        }
        return dots == 3;
    }
}
