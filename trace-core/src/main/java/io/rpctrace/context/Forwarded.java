package io.rpctrace.context;

/**
 * Interop headers that came in with a request and travel unchanged on each outgoing call
 * (docs/propagation.md#interop): W3C {@code tracestate}, the B3 set and Envoy's
 * {@code x-request-id}, so that a trace joins the traces of a service mesh or an OpenTelemetry
 * peer. Immutable.
 */
public final class Forwarded {
    private final String traceState;
    private final String b3TraceId;
    private final String b3SpanId;
    private final String b3Sampled;
    private final String requestId;

    /** Any argument may be null. */
    public Forwarded(String traceState, String b3TraceId, String b3SpanId, String b3Sampled, String requestId) {
        this.traceState = traceState;
        this.b3TraceId = b3TraceId;
        this.b3SpanId = b3SpanId;
        this.b3Sampled = b3Sampled;
        this.requestId = requestId;
    }

    /** W3C {@code tracestate}, or null. */
    public String traceState() {
        return traceState;
    }

    /** {@code X-B3-TraceId}, or null. */
    public String b3TraceId() {
        return b3TraceId;
    }

    /** {@code X-B3-SpanId}, or null. */
    public String b3SpanId() {
        return b3SpanId;
    }

    /** {@code X-B3-Sampled}, or null. */
    public String b3Sampled() {
        return b3Sampled;
    }

    /** Envoy's {@code x-request-id}, or null. */
    public String requestId() {
        return requestId;
    }
}
