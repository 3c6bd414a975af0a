package io.rpctrace.instrumentation.http;

import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Stable classes of network failure for {@code x_code} of {@code *.error} records, so a user
 * can aggregate them in Kibana whatever client threw them.
 */
public final class NetworkErrors {
    public static final String DNS_FAILURE = "DNS_FAILURE";
    public static final String CONNECT_REFUSED = "CONNECT_REFUSED";
    public static final String CONNECT_TIMEOUT = "CONNECT_TIMEOUT";
    public static final String READ_TIMEOUT = "READ_TIMEOUT";
    public static final String CONNECTION_RESET = "CONNECTION_RESET";
    /** The peer closed before any response byte (curl's error 52). */
    public static final String EMPTY_REPLY = "EMPTY_REPLY";
    public static final String TLS_FAILURE = "TLS_FAILURE";
    public static final String OTHER = "OTHER";

    private NetworkErrors() {
    }

    /**
     * The class of {@code t}, looking through its causes. {@code connecting} tells whether the
     * failure happened before the connection was established (a timeout then is CONNECT_TIMEOUT).
     */
    public static String classify(Throwable t, boolean connecting) {
        // Design note: the whole cause chain is looked at and the most specific class wins.
        // Clients wrap the socket's exception in their own ("header parser received no bytes"
        // around "Connection reset"; a ConnectException around an unresolved address), so the
        // outermost exception alone misleads.
        String best = null;
        int depth = 0;
        for (Throwable c = t; c != null && depth < 16; c = c.getCause() == c ? null : c.getCause(), depth++) {
            String cls = classifyOne(c, connecting);
            if (cls != null && (best == null || rank(cls) < rank(best))) {
                best = cls;
            }
        }
        return best == null ? OTHER : best;
    }

    /** Lower is more specific. */
    private static int rank(String cls) {
        switch (cls) {
            case DNS_FAILURE: return 0;
            case TLS_FAILURE: return 1;
            case CONNECTION_RESET: return 2;
            case CONNECT_TIMEOUT: return 3;
            case CONNECT_REFUSED: return 4;
            case READ_TIMEOUT: return 5;
            case EMPTY_REPLY: return 6;
            default: return 7;
        }
    }

    /** {@code x_msg} of a failure: the exception, and its root cause when that says more. */
    public static String describe(Throwable t) {
        if (t == null) {
            return null;
        }
        Throwable root = t;
        for (int i = 0; i < 16 && root.getCause() != null && root.getCause() != root; i++) {
            root = root.getCause();
        }
        return root == t ? t.toString() : t + "; caused by " + root;
    }

    private static String classifyOne(Throwable c, boolean connecting) {
        String msg = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
        String name = c.getClass().getName();
        if (c instanceof UnknownHostException || name.endsWith("UnresolvedAddressException")) {
            return DNS_FAILURE;
        }
        if (name.startsWith("javax.net.ssl.") || name.startsWith("io.netty.handler.ssl.") || name.contains("SSL")
                || name.contains("Tls")) {
            return TLS_FAILURE;
        }
        if (c instanceof ConnectException || c instanceof NoRouteToHostException) {
            return msg.contains("timed out") ? CONNECT_TIMEOUT : CONNECT_REFUSED;
        }
        if (name.endsWith("HttpConnectTimeoutException") || name.endsWith("ConnectTimeoutException")) {
            return CONNECT_TIMEOUT;
        }
        if (name.equals("io.netty.handler.timeout.ReadTimeoutException")) {
            return READ_TIMEOUT; // Netty's read timeout (Reactor Netty's responseTimeout); no message
        }
        if (c instanceof SocketTimeoutException || name.endsWith("HttpTimeoutException")) {
            if (connecting || msg.contains("connect")) {
                return CONNECT_TIMEOUT;
            }
            return READ_TIMEOUT;
        }
        if (name.endsWith("NoHttpResponseException")) {
            return EMPTY_REPLY; // Apache HttpClient: "The target server failed to respond"
        }
        if (c instanceof SocketException) {
            if (msg.contains("reset") || msg.contains("broken pipe")) {
                return CONNECTION_RESET;
            }
            if (msg.contains("refused")) {
                return CONNECT_REFUSED;
            }
            if (msg.contains("unexpected end of file") || msg.contains("closed")) {
                return EMPTY_REPLY;
            }
        }
        if (c instanceof EOFException || msg.contains("unexpected end of file")
                || msg.contains("unexpected end of stream") || msg.contains("header parser received no bytes")
                || msg.contains("connection closed") || msg.contains("failed to respond")) {
            return EMPTY_REPLY;
        }
        if (msg.contains("connection reset") || msg.contains("broken pipe")) {
            return CONNECTION_RESET;
        }
        if (c instanceof InterruptedIOException && msg.contains("timeout")) {
            return connecting ? CONNECT_TIMEOUT : READ_TIMEOUT;
        }
        return null;
    }
}
