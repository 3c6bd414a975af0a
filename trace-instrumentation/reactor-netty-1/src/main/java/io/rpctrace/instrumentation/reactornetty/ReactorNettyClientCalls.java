package io.rpctrace.instrumentation.reactornetty;

import io.rpctrace.Span;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.instrumentation.http.HttpClientCalls;
import io.rpctrace.instrumentation.http.HttpServerCalls;
import io.rpctrace.instrumentation.http.NetworkErrors;
import io.rpctrace.internal.ThreadSlot;
import io.rpctrace.internal.concurrent.WeakIdentityMap;
import java.io.IOException;
import java.net.URI;

/**
 * The calls of Reactor Netty's {@code HttpClient} in flight, by the client's per-request
 * operations object (weakly). A call starts when the request is written and ends once: when the
 * response's last content arrives (status from its head), or failed when the request cannot be
 * written, the connection closes first (the class of http-common's {@code NetworkErrors}) or the
 * subscriber cancels before the response head. A call that never gets a connection (refused, a
 * connect timeout, DNS, TLS) is recorded when the client gives up on it, in the scope of the chain
 * that subscribed.
 */
public final class ReactorNettyClientCalls {
    /** The subscriber-context key under which the {@code reactor} module keeps a chain's scope. */
    public static final String CONTEXT_KEY = "io.rpctrace.scope";

    private static final WeakIdentityMap<Call> CALLS = new WeakIdentityMap<>();
    /** Per call (the client's handler, one per subscription): the subscriber's scope until a request is written. */
    private static final WeakIdentityMap<Scope> CONNECTING = new WeakIdentityMap<>();
    /**
     * The subscriber's scope while the client's connect publisher is being subscribed on this thread.
     * Cleared with {@code set(null)}, not {@code remove()}: a removed entry is made again (32 bytes)
     * by the next call's {@code set}; a null value keeps nothing alive.
     */
    private static final ThreadSlot<Scope> SUBSCRIBING = new ThreadSlot<>();
    /** Set while a gateway route's response timeout fires on this thread ({@link RouteTimeouts}). */
    private static final ThreadSlot<Boolean> ROUTE_TIMEOUT = new ThreadSlot<>();

    /**
     * {@code x_host} of the scheme and authority seen last ({@link #resolvedHost}), by their hash;
     * each entry is kept for {@link #HOST_NANOS}.
     *
     * <p>Design note: a client calls the same few hosts over and over, and parsing each call's
     * URL ({@code URI.create}) to find its host was about 1 % of the event loops' samples of a
     * WebFlux service. The entry is kept one second, so a name that resolves to another address
     * is seen again within a second of the JVM's own address cache.
     */
    private static final KeptText[] HOSTS = new KeptText[16];
    private static final long HOST_NANOS = 1_000_000_000L;

    private ReactorNettyClientCalls() {
    }

    private static final class Call {
        final Span span;
        final String host;
        int status;
        long length = -1;
        /** The cancel that will end the call comes from a gateway route's response timeout. */
        volatile boolean timedOut;
        /** The call's id headers, name/value pairs: injected, and set again ({@link #headersToSetAgain}). */
        final String[] headers;

        Call(Span span, String host, String[] headers) {
            this.span = span;
            this.host = host;
            this.headers = headers;
        }
    }

    /**
     * Starts {@code http.<method>} in the current scope (rule 2) for {@code ops}: {@code url} is the
     * client's full URL when it knows it, else it is made of the {@code Host} header and {@code uri}.
     * Returns the call's id headers to inject, name/value pairs.
     */
    public static String[] start(Object ops, String method, String url, String hostHeader, String uri) {
        if (url == null || url.indexOf("://") < 0) {
            url = "http://" + (hostHeader == null ? "" : hostHeader) + (uri == null ? "" : uri);
        }
        Span span = HttpClientCalls.start(method, url);
        String host = resolvedHost(url);
        Call previous = take(ops);
        if (previous != null) { // a retried write on the same operations: the first call failed
            HttpClientCalls.fail(previous.span, new IOException("request written again"), false, previous.host);
        }
        String[] headers = HttpClientCalls.headers(span);
        CALLS.put(ops, new Call(span, host, headers));
        return headers;
    }

    /**
     * WebClient (Spring's {@code ReactorClientHttpRequest.applyHeaders}) copied the application's
     * headers onto {@code ops}'s request after the call's were injected, replacing any of the same
     * name (a proxy passing its caller's {@code X-Trace-Id} on): the call's id headers, name/value
     * pairs, for the advice to set again (docs/propagation.md#headers, rule 2); null when none.
     */
    public static String[] headersToSetAgain(Object ops) {
        Call call = CALLS.neverUsed() || ops == null ? null : CALLS.get(ops);
        return call == null ? null : call.headers;
    }

    /**
     * The client's connect publisher is being subscribed by a subscriber whose context holds
     * {@code contextScope} (null: none, the thread's scope counts): the call created now on this
     * thread belongs to that scope. Returns whether {@link #subscribed} must clear it.
     */
    public static boolean subscribing(Scope contextScope) {
        Scope scope = contextScope != null ? contextScope : CurrentScope.get();
        if (scope == null) {
            return false;
        }
        SUBSCRIBING.set(scope);
        return true;
    }

    /** The subscription of the connect publisher returned. */
    public static void subscribed(boolean subscribing) {
        if (subscribing) {
            SUBSCRIBING.set(null);
        }
    }

    /** The client made {@code handler} for a call (inside {@link #subscribing}): it is connecting. */
    public static void connecting(Object handler) {
        Scope scope = SUBSCRIBING.get();
        if (scope != null) {
            SUBSCRIBING.set(null);
            CONNECTING.put(handler, scope);
        }
    }

    /**
     * {@code handler}'s request is being written: the call is {@link #start}ed on the connection.
     * Returns the subscriber's scope handed over when the call began (null: none, or a request
     * written again), for when the connection's context does not carry it.
     */
    public static Scope connected(Object handler) {
        return CONNECTING.neverUsed() ? null : CONNECTING.take(handler);
    }

    /**
     * The client gave up on {@code handler}'s call with {@code thrown} (no retry, no redirect). If no
     * request was written (no connection: refused, timed out, unresolved, TLS failed),
     * {@code http.<method>.error} is written now, in the subscriber's scope, with the failure's class.
     */
    public static void gaveUp(Object handler, String method, String url, Throwable thrown) {
        Scope scope = CONNECTING.neverUsed() ? null : CONNECTING.take(handler);
        if (scope == null) {
            return;
        }
        Scope previous = CurrentScope.set(scope);
        try {
            Span span = HttpClientCalls.start(method, url);
            HttpClientCalls.fail(span, thrown, true, host(url, true));
        } finally {
            CurrentScope.restore(previous);
        }
    }

    /** {@link #host host(url, false)}, made once a second per scheme and authority ({@link #HOSTS}). */
    static String resolvedHost(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return host(url, false);
        }
        int hash = 0;
        int end = 0;
        for (; end < url.length(); end++) {
            char c = url.charAt(end);
            if (end > scheme + 2 && (c == '/' || c == '?' || c == '#')) {
                break;
            }
            hash = 31 * hash + c;
        }
        int slot = (hash ^ (hash >>> 16)) & (HOSTS.length - 1);
        KeptText known = HOSTS[slot];
        long now = System.nanoTime();
        if (known != null && now - known.until < 0) {
            String prefix = (String) known.key;   // the URL up to its authority's end: http://h:8080
            if (prefix.length() == end && url.startsWith(prefix)) {
                return known.text;
            }
        }
        String host = host(url, false);
        HOSTS[slot] = new KeptText(url.substring(0, end), host, now + HOST_NANOS);
        return host;
    }

    /** {@code x_host} of {@code url}: resolved ({@code ip:port}) or, for a call without a connection, as named. */
    static String host(String url, boolean unresolved) {
        try {
            URI u = URI.create(url);
            int port = u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
            return unresolved ? HttpClientCalls.unresolved(u.getHost(), port) : HttpClientCalls.host(u.getHost(), port);
        } catch (RuntimeException e) {
            return null; // an unparsable URL: the record has no x_host
        }
    }

    /** The response head: its status and {@code Content-Length} (null: unknown). */
    public static void head(Object ops, int status, String contentLength) {
        Call call = CALLS.neverUsed() ? null : CALLS.get(ops);
        if (call != null) {
            call.status = status;
            call.length = HttpServerCalls.contentLength(contentLength);
        }
    }

    /** The response's last content arrived. */
    public static void completed(Object ops) {
        Call call = take(ops);
        if (call != null) {
            HttpClientCalls.end(call.span, call.status, call.length, call.host);
        }
    }

    /** The request could not be sent, or the connection closed before the response completed. */
    public static void failed(Object ops, Throwable thrown) {
        Call call = take(ops);
        if (call != null) {
            if (thrown == null) {
                thrown = new IOException(call.status == 0 ? "connection closed before a response"
                        : "connection closed before the response completed");
            }
            HttpClientCalls.fail(call.span, thrown, false, call.host);
        }
    }

    /**
     * A Reactor {@code timeout()} fires on this thread with {@code fallback} as what it switches to:
     * if that is a Spring Cloud Gateway route's response timeout ({@link RouteTimeouts}), the calls
     * it cancels now are marked as timed out. Returns whether {@link #timeoutFired} must clear it.
     */
    public static boolean timeoutFiring(Object fallback) {
        return !CALLS.neverUsed() && RouteTimeouts.isRouteTimeout(fallback) && routeTimeoutFiring();
    }

    /** A route's response timeout fires on this thread: the calls disposed until {@link #timeoutFired} timed out. */
    static boolean routeTimeoutFiring() {
        ROUTE_TIMEOUT.set(Boolean.TRUE);
        return true;
    }

    /** The timeout's handling returned. */
    public static void timeoutFired(boolean firing) {
        if (firing) {
            ROUTE_TIMEOUT.set(null);
        }
    }

    /**
     * {@code ops} is being disposed: when that happens inside a route's response timeout (the
     * cancel reaches the operations on the timer's thread, the cancel callback runs later on the
     * event loop) the call's cancel is its timeout.
     */
    public static void disposing(Object ops) {
        if (CALLS.neverUsed() || ROUTE_TIMEOUT.get() == null) {
            return;
        }
        Call call = CALLS.get(ops);
        if (call != null) {
            call.timedOut = true;
        }
    }

    /**
     * The subscriber cancelled: before the response head the call is {@code CANCELLED} (a
     * {@code timeout()} of the caller's, a caller that no longer wants it), or {@code READ_TIMEOUT}
     * when the cancel is a gateway route's response timeout, as the other clients record a response
     * that took too long; after the head (the caller read the status and dropped the body) the call
     * ends with that status.
     */
    public static void cancelled(Object ops) {
        Call call = take(ops);
        if (call != null && call.status > 0) {
            HttpClientCalls.end(call.span, call.status, call.length, call.host);
        } else if (call != null && call.timedOut) {
            call.span.code(NetworkErrors.READ_TIMEOUT).msg("no response within the route's response timeout")
                    .host(call.host).failed();
            call.span.close();
        } else if (call != null) {
            call.span.code("CANCELLED").msg("cancelled before the response completed").host(call.host).failed();
            call.span.close();
        }
    }

    private static Call take(Object ops) {
        return CALLS.neverUsed() ? null : CALLS.take(ops);
    }
}
