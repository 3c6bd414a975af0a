package io.rpctrace.testing;

import java.util.Collections;
import java.util.Map;

/** One record as the agent wrote it: a parsed JSON line. */
public final class TraceRecord {
    private final Map<String, Object> fields;
    private final String line;

    TraceRecord(Map<String, Object> fields, String line) {
        this.fields = Collections.unmodifiableMap(fields);
        this.line = line;
    }

    /** {@code x_name}. */
    public String name() {
        return string("x_name");
    }

    /** {@code x_trace_id}. */
    public String traceId() {
        return string("x_trace_id");
    }

    /** {@code x_rpc_id}. */
    public String rpcId() {
        return string("x_rpc_id");
    }

    /** A top-level string field ({@code x_action}, {@code x_module}...), or null. */
    public String string(String key) {
        Object v = fields.get(key);
        return v == null ? null : v.toString();
    }

    /** A field of {@code x_extra}, or null. */
    public Object extra(String key) {
        Object extra = fields.get("x_extra");
        return extra instanceof Map ? ((Map<?, ?>) extra).get(key) : null;
    }

    /** All top-level fields. */
    public Map<String, Object> fields() {
        return fields;
    }

    /** The line as written. */
    public String line() {
        return line;
    }

    @Override
    public String toString() {
        return line;
    }
}
