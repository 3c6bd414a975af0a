package io.rpctrace.instrumentation.httpurlconnection;

import io.rpctrace.Span;
import io.rpctrace.context.Propagation;
import io.rpctrace.instrumentation.http.HttpClientCalls;
import io.rpctrace.internal.CallDepth;
import java.net.HttpURLConnection;
import java.net.URL;

/**
 * The call of one {@code HttpURLConnection}, for the advice of
 * {@link HttpUrlConnectionInstrumentation}: it starts at the first of {@code connect},
 * {@code getOutputStream}, {@code getInputStream} and ends when the response, or a failure,
 * is in. The JDK's own nested calls ({@code getInputStream} inside {@code getResponseCode})
 * count once.
 *
 * <pre>{@code
 * Span call = UrlConnectionCalls.enter(connection, connected);    // any of the three methods
 * ... the JDK connects, sends, reads the status line ...
 * UrlConnectionCalls.responded(call, connection, responseCode, thrown);   // getInputStream
 * }</pre>
 */
public final class UrlConnectionCalls {
    private UrlConnectionCalls() {
    }

    /**
     * Entering {@code connect}, {@code getOutputStream} or {@code getInputStream}: the call of
     * {@code conn}, started now (headers set while the connection is not yet connected) unless
     * it has one, is connected already or had one that ended; null inside a nested call.
     */
    public static Span enter(HttpURLConnection conn, boolean connected) {
        if (CallDepth.of(HttpURLConnection.class).enter() > 0) {
            return null;
        }
        Span call = HttpClientCalls.attached(conn);
        if (call == null && !connected && !HttpClientCalls.seen(conn)) {
            String method = conn.getRequestMethod();
            if ("GET".equals(method) && conn.getDoOutput()) {
                method = "POST"; // what getOutputStream turns a GET with output into
            }
            call = HttpClientCalls.start(method, conn.getURL().toString());
            String[] h = HttpClientCalls.headers(call);
            for (int i = 0; i < h.length; i += 2) {
                // an interop header the application's own tracer put on the request stays (docs/propagation.md#interop)
                if (!Propagation.isInterop(h[i]) || conn.getRequestProperty(h[i]) == null) {
                    conn.setRequestProperty(h[i], h[i + 1]);
                }
            }
            HttpClientCalls.attach(conn, call);
        }
        return call;
    }

    /** Leaving {@code connect} ({@code method}) or {@code getOutputStream}: a failure there ends the call. */
    public static void connected(Span call, HttpURLConnection conn, String method, Throwable thrown) {
        CallDepth.of(HttpURLConnection.class).exit();
        if (call != null && thrown != null) {
            HttpClientCalls.finish(conn);
            URL url = conn.getURL();
            HttpClientCalls.fail(call, thrown, "connect".equals(method),
                    HttpClientCalls.unresolved(url.getHost(), HttpClientCalls.port(url.getProtocol(), url.getPort())));
        }
    }

    /**
     * Leaving {@code getInputStream}: the response is in ({@code status} above 0; an HTTP error
     * status throws here too, {@code FileNotFoundException} for a 404) or the call failed.
     */
    public static void responded(Span call, HttpURLConnection conn, int status, Throwable thrown) {
        try {
            if (call != null) {
                HttpClientCalls.finish(conn);
                URL url = conn.getURL();
                int port = HttpClientCalls.port(url.getProtocol(), url.getPort());
                if (status > 0) {
                    HttpClientCalls.end(call, status, conn.getContentLengthLong(),
                            HttpClientCalls.host(url.getHost(), port));
                } else {
                    HttpClientCalls.fail(call, thrown, false, HttpClientCalls.unresolved(url.getHost(), port));
                }
            }
        } finally {
            CallDepth.of(HttpURLConnection.class).exit();
        }
    }
}
