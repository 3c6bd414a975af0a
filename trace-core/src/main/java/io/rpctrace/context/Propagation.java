package io.rpctrace.context;

import io.rpctrace.internal.Tracing;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reading and writing the ids of docs/propagation.md#headers on any carrier (HTTP headers, gRPC
 * metadata, Kafka headers) through a {@link Getter} and a {@link Setter}.
 *
 * <pre>{@code
 * // server side (rule 1)
 * Scope scope = Propagation.extract(request, HttpServletRequest::getHeader, request.getQueryString());
 * // client side (rule 2)
 * int n = scope.nextCall();
 * Propagation.inject(builder, (b, k, v) -> b.header(k, v), scope, scope.callId(n));
 * }</pre>
 *
 * <p>Extraction order: {@code X-Trace-Id}/{@code X-Rpc-Id}; when both are absent, the query
 * parameters {@code x_trace_id}/{@code x_rpc_id}; when no trace id came, W3C
 * {@code traceparent}, then B3 ({@code X-B3-TraceId} or single {@code b3}), then Envoy's
 * {@code x-request-id} (a UUID loses its hyphens so it is also a W3C trace id). Invalid values
 * count as absent and are never echoed.
 */
public final class Propagation {
    public static final String TRACE_ID = "X-Trace-Id";
    public static final String RPC_ID = "X-Rpc-Id";
    public static final String DEBUG = "X-Debug";
    public static final String DEBUG_TOKEN = "X-Debug-Token";
    public static final String QUERY_TRACE_ID = "x_trace_id";
    public static final String QUERY_RPC_ID = "x_rpc_id";
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";
    public static final String B3_TRACE_ID = "X-B3-TraceId";
    public static final String B3_SPAN_ID = "X-B3-SpanId";
    public static final String B3_SAMPLED = "X-B3-Sampled";
    public static final String B3_SINGLE = "b3";
    public static final String REQUEST_ID = "x-request-id";
    // the lower-case names of gRPC metadata and Kafka headers, made once, not per call
    private static final String TRACE_ID_LC = TRACE_ID.toLowerCase(Locale.ROOT);
    private static final String RPC_ID_LC = RPC_ID.toLowerCase(Locale.ROOT);
    private static final String DEBUG_LC = DEBUG.toLowerCase(Locale.ROOT);
    private static final String DEBUG_TOKEN_LC = DEBUG_TOKEN.toLowerCase(Locale.ROOT);
    private static final String B3_TRACE_ID_LC = B3_TRACE_ID.toLowerCase(Locale.ROOT);
    private static final String B3_SPAN_ID_LC = B3_SPAN_ID.toLowerCase(Locale.ROOT);
    private static final String B3_SAMPLED_LC = B3_SAMPLED.toLowerCase(Locale.ROOT);
    /** Longest header value that is looked at; longer ones count as absent. */
    public static final int MAX_VALUE_LENGTH = 4096;

    /** Reads one value by name from a carrier; the carrier decides case sensitivity. */
    public interface Getter<C> {
        /** The value of {@code name}, or null. */
        String get(C carrier, String name);
    }

    /**
     * A {@link Getter} for a carrier whose values are bytes (gRPC metadata): {@link #extract}
     * takes a valid {@code X-Trace-Id} as the carrier's own array, without a string
     * ({@link Scope#enterAscii}).
     */
    public interface AsciiGetter<C> extends Getter<C> {
        /** The value of {@code name} as the carrier holds it (ASCII bytes, not copied, never changed by the caller), or null. */
        byte[] getAscii(C carrier, String name);
    }

    /** Writes one value on a carrier. */
    public interface Setter<C> {
        /** Sets {@code name} to {@code value}, replacing any previous value. */
        void set(C carrier, String name, String value);

        /**
         * Whether the outgoing carrier already holds {@code name} (as {@link #inject} would
         * write it; the carrier decides case sensitivity), put there by the application. An
         * {@link #isInterop interop header} it holds is left as it is: the application's own
         * tracer (Micrometer Tracing, an OpenTelemetry SDK, Brave) wrote it for this call
         * (docs/propagation.md#interop). The default, false, writes every header.
         */
        default boolean has(C carrier, String name) {
            return false;
        }
    }

    /**
     * A {@link Setter} for a carrier whose values are bytes (Kafka headers): {@link #inject}
     * hands it the values it builds itself ({@code traceparent}) as ASCII bytes, without the
     * string a {@code Setter} would only encode again.
     */
    public interface AsciiSetter<C> extends Setter<C> {
        /** Sets {@code name} to the ASCII bytes {@code value} (the setter may keep the array). */
        void setAscii(C carrier, String name, byte[] value);
    }

    private Propagation() {
    }

    /**
     * Rule 1: the scope of a request served from {@code carrier}, with debug mode verified
     * against {@code rpctrace.debug.token}. {@code query} (the raw query string, may be null)
     * is the fallback when the id headers are absent. Never throws on hostile input.
     */
    @SuppressWarnings("unchecked")
    public static <C> Scope extract(C carrier, Getter<C> getter, String query) {
        // a valid trace id as a byte carrier holds it stays bytes; anything else takes the string path
        byte[] asciiTraceId = getter instanceof AsciiGetter ? asciiTraceId(carrier, (AsciiGetter<C>) getter) : null;
        String traceId = asciiTraceId != null ? null : value(carrier, getter, TRACE_ID);
        String rpcId = value(carrier, getter, RPC_ID);
        if (asciiTraceId == null && traceId == null && rpcId == null && query != null) {
            traceId = queryParam(query, QUERY_TRACE_ID);
            rpcId = queryParam(query, QUERY_RPC_ID);
        }
        if (asciiTraceId == null && !TraceId.isValid(traceId)) {
            traceId = interopTraceId(carrier, getter);
        }
        String traceState = value(carrier, getter, TRACESTATE);
        String b3Trace = value(carrier, getter, B3_TRACE_ID);
        String b3Span = value(carrier, getter, B3_SPAN_ID);
        String b3Sampled = value(carrier, getter, B3_SAMPLED);
        String requestId = value(carrier, getter, REQUEST_ID);
        Forwarded fwd = null;
        if (traceState != null || b3Trace != null || requestId != null) {
            fwd = new Forwarded(safe(traceState), safe(b3Trace), safe(b3Span), safe(b3Sampled), safe(requestId));
        }
        String debug = value(carrier, getter, DEBUG);
        String token = debug == null ? null : value(carrier, getter, DEBUG_TOKEN);
        return asciiTraceId != null ? Tracing.get().enterFromHeaders(asciiTraceId, rpcId, debug, token, fwd)
                : Tracing.get().enterFromHeaders(traceId, rpcId, debug, token, fwd);
    }

    /** The carrier's {@code X-Trace-Id} bytes when they are a valid trace id as they are, else null. */
    private static <C> byte[] asciiTraceId(C carrier, AsciiGetter<C> getter) {
        try {
            byte[] v = getter.getAscii(carrier, TRACE_ID);
            return TraceId.isValid(v) ? v : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Rule 2: writes the ids of one outgoing call ({@code callRpcId} = {@code scope.callId(n)})
     * with the debug token, a W3C {@code traceparent} and the forwarded interop headers.
     * {@code lowerCase} names are used for gRPC metadata and Kafka headers. A byte carrier
     * ({@link AsciiSetter}) gets the trace id as the scope's own bytes ({@link Scope#traceIdBytes}).
     */
    public static <C> void inject(C carrier, Setter<C> setter, Scope scope, String callRpcId, boolean lowerCase) {
        write(carrier, setter, scope, callRpcId, null, 0, lowerCase);
    }

    /**
     * {@link #inject(Object, Setter, Scope, String, boolean)} for the call {@code prefix.seq}
     * (for {@code seq} below 0, {@code prefix} itself): a byte carrier ({@link AsciiSetter})
     * gets the call id built as bytes, without the string (docs/RATIONALE.md, "Per-call cost").
     */
    public static <C> void inject(C carrier, Setter<C> setter, Scope scope, String prefix, int seq, boolean lowerCase) {
        if (setter instanceof AsciiSetter) {
            write(carrier, setter, scope, null, prefix, seq, lowerCase);
        } else {
            write(carrier, setter, scope, seq < 0 ? prefix : RpcId.join(prefix, seq), null, 0, lowerCase);
        }
    }

    /** {@link #inject}: the call id is {@code callRpcId}, or when that is null {@code prefix.seq} (byte carriers only). */
    @SuppressWarnings("unchecked")
    private static <C> void write(C carrier, Setter<C> setter, Scope scope, String callRpcId, String prefix, int seq,
                                  boolean lowerCase) {
        AsciiSetter<C> bytes = setter instanceof AsciiSetter ? (AsciiSetter<C>) setter : null;
        if (bytes != null) {
            bytes.setAscii(carrier, (lowerCase ? TRACE_ID_LC : TRACE_ID), scope.traceIdBytes());
            if (callRpcId == null) {
                bytes.setAscii(carrier, (lowerCase ? RPC_ID_LC : RPC_ID), rpcIdBytes(prefix, seq));
            } else {
                setter.set(carrier, (lowerCase ? RPC_ID_LC : RPC_ID), callRpcId);
            }
        } else {
            setter.set(carrier, (lowerCase ? TRACE_ID_LC : TRACE_ID), scope.traceId());
            setter.set(carrier, (lowerCase ? RPC_ID_LC : RPC_ID), callRpcId);
        }
        if (scope.debug()) {
            String token = Tracing.get().debugToken().forTrace(scope.traceId());
            if (token != null) {
                setter.set(carrier, (lowerCase ? DEBUG_LC : DEBUG), "1");
                setter.set(carrier, (lowerCase ? DEBUG_TOKEN_LC : DEBUG_TOKEN), token);
            }
        }
        if (absent(carrier, setter, TRACEPARENT)) {
            writeTraceparent(carrier, setter, bytes, scope, callRpcId, prefix, seq);
        }
        Forwarded f = scope.forwarded();
        if (f != null) {
            if (f.traceState() != null && absent(carrier, setter, TRACESTATE)) {
                setter.set(carrier, TRACESTATE, f.traceState());
            }
            String b3Trace = lowerCase ? B3_TRACE_ID_LC : B3_TRACE_ID;
            if (f.b3TraceId() != null && absent(carrier, setter, b3Trace)) {
                setter.set(carrier, b3Trace, f.b3TraceId());
                if (f.b3SpanId() != null) {
                    setter.set(carrier, (lowerCase ? B3_SPAN_ID_LC : B3_SPAN_ID), f.b3SpanId());
                }
                if (f.b3Sampled() != null) {
                    setter.set(carrier, (lowerCase ? B3_SAMPLED_LC : B3_SAMPLED), f.b3Sampled());
                }
            }
            if (f.requestId() != null && absent(carrier, setter, REQUEST_ID)) {
                setter.set(carrier, REQUEST_ID, f.requestId());
            }
        }
    }

    /** Not {@link Setter#has}: false only when the carrier says it holds {@code name}; a carrier that fails to answer counts as not holding it. */
    private static <C> boolean absent(C carrier, Setter<C> setter, String name) {
        try {
            return !setter.has(carrier, name);
        } catch (RuntimeException e) {
            return true;
        }
    }

    private static <C> void writeTraceparent(C carrier, Setter<C> setter, AsciiSetter<C> bytes, Scope scope,
                                             String callRpcId, String prefix, int seq) {
        if (bytes != null) {
            long parent = callRpcId != null ? Traceparent.parentHash(scope.traceId(), callRpcId)
                    : Traceparent.parentHash(scope.traceId(), prefix, seq);
            bytes.setAscii(carrier, TRACEPARENT, Traceparent.bytes(scope.traceId(), parent));
        } else {
            setter.set(carrier, TRACEPARENT, traceparent(scope.traceId(), callRpcId));
        }
    }

    /** The ASCII bytes of {@code prefix.seq} ({@code prefix} alone for {@code seq} below 0), one array. */
    static byte[] rpcIdBytes(String prefix, int seq) {
        int p = prefix.length();
        int digits = seq < 0 ? 0 : RpcId.digits(seq);
        byte[] b = new byte[seq < 0 ? p : p + 1 + digits];
        for (int i = 0; i < p; i++) {
            b[i] = (byte) prefix.charAt(i);   // an rpc id is digits and dots (RpcId)
        }
        if (seq >= 0) {
            b[p] = '.';
            for (int i = b.length - 1, v = seq; i > p; i--, v /= 10) {
                b[i] = (byte) ('0' + v % 10);
            }
        }
        return b;
    }

    /**
     * True for a name that {@link #inject} writes, in any case: the ids, the debug pair,
     * {@code traceparent} and the forwarded interop headers. A message carrier copied from a
     * consumed message (Kafka headers, AMQP headers) drops these before the new call's are put.
     */
    public static boolean isInjected(String name) {
        if (name == null) {
            return false;
        }
        // called for every header of a copied message: compare without a lower-cased copy
        for (String injected : INJECTED) {
            if (injected.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True for the interop headers among those {@link #inject} writes, in any case:
     * {@code traceparent}, {@code tracestate}, B3's {@code X-B3-TraceId}, {@code X-B3-SpanId},
     * {@code X-B3-Sampled} and {@code x-request-id}. On an outgoing request that already holds
     * one (the application's own tracer put it there) the application's value is kept and this
     * call's is not written; the ids and the debug pair are always this call's
     * (docs/propagation.md#interop). For advice that applies {@code name, value} pairs itself.
     */
    public static boolean isInterop(String name) {
        if (name == null) {
            return false;
        }
        for (int i = 4; i < INJECTED.length; i++) {   // INJECTED after the ids and the debug pair
            if (INJECTED[i].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    /** The names {@link #isInjected} accepts, lower-case (a copy). */
    public static String[] injectedNames() {
        return INJECTED.clone();
    }

    private static final String[] INJECTED = {"x-trace-id", "x-rpc-id", "x-debug", "x-debug-token", TRACEPARENT,
        TRACESTATE, "x-b3-traceid", "x-b3-spanid", "x-b3-sampled", REQUEST_ID};

    /**
     * {@code 00-<trace-id>-<parent-id>-01}: the trace id is ours when it is 32 hex, else a
     * stable 128-bit hash of it; the parent id is a stable 64-bit hash of trace id and call id.
     */
    public static String traceparent(String traceId, String callRpcId) {
        // Latin-1 bytes become the string's own compact bytes: one copy, no char[] (56 bytes less)
        return new String(traceparentBytes(traceId, callRpcId), StandardCharsets.ISO_8859_1);
    }

    /** {@link #traceparent} as its 55 ASCII bytes, for carriers whose values are bytes. */
    public static byte[] traceparentBytes(String traceId, String callRpcId) {
        return Traceparent.bytes(traceId, Traceparent.parentHash(traceId, callRpcId));
    }

    private static String interopTraceId(Object carrier, Getter getter) {
        @SuppressWarnings("unchecked")
        Getter<Object> g = (Getter<Object>) getter;
        String tp = value(carrier, g, TRACEPARENT);
        if (tp != null && tp.length() >= 55 && tp.charAt(2) == '-' && tp.charAt(35) == '-') {
            String id = tp.substring(3, 35);
            if (TraceId.isW3c(id)) {
                return id.toLowerCase(Locale.ROOT);
            }
        }
        String b3 = value(carrier, g, B3_TRACE_ID);
        if (b3 == null) {
            String single = value(carrier, g, B3_SINGLE);
            if (single != null) {
                int dash = single.indexOf('-');
                b3 = dash > 0 ? single.substring(0, dash) : null;
            }
        }
        if (b3 != null && (b3.length() == 16 || b3.length() == 32) && isHex(b3)) {
            return b3.toLowerCase(Locale.ROOT);
        }
        String rid = value(carrier, g, REQUEST_ID);
        if (rid != null) {
            String compact = rid.length() == 36 ? rid.replace("-", "") : rid;
            if (TraceId.isW3c(compact)) {
                return compact.toLowerCase(Locale.ROOT);
            }
            if (TraceId.isValid(rid)) {
                return rid;
            }
        }
        return null;
    }

    private static <C> String value(C carrier, Getter<C> getter, String name) {
        String v;
        try {
            v = getter.get(carrier, name);
        } catch (RuntimeException e) {
            return null;
        }
        if (v == null) {
            return null;
        }
        v = v.trim();
        return v.isEmpty() || v.length() > MAX_VALUE_LENGTH ? null : v;
    }

    /** Forwarded values keep only printable ASCII, so a header never carries CR/LF downstream. */
    private static String safe(String v) {
        if (v == null || v.length() > 512) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return null;
            }
        }
        return v;
    }

    /** The first value of {@code name} in a raw query string (percent-decoding only {@code %2E}/{@code %2e}), or null. */
    static String queryParam(String query, String name) {
        int n = query.length();
        int i = 0;
        while (i < n) {
            int amp = query.indexOf('&', i);
            int end = amp < 0 ? n : amp;
            int eq = query.indexOf('=', i);
            if (eq > i && eq < end && eq - i == name.length() && query.regionMatches(i, name, 0, name.length())) {
                String v = query.substring(eq + 1, end);
                return v.replace("%2E", ".").replace("%2e", ".");
            }
            i = end + 1;
        }
        return null;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}
