package io.rpctrace.viewer;

import io.rpctrace.context.RpcId;
import io.rpctrace.record.Fields;
import io.rpctrace.record.RecordNames;
import java.util.Collections;
import java.util.Map;

/**
 * One record read back from a log line: every key as parsed (in file order), plus typed
 * views of the keys the viewer draws with.
 */
final class TraceRecord {
    private final Map<String, Object> fields;
    private final String line;
    private final String source;

    TraceRecord(Map<String, Object> fields, String line, String source) {
        this.fields = Collections.unmodifiableMap(fields);
        this.line = line;
        this.source = source;
    }

    /** Every key of the record, in the order of the line. */
    Map<String, Object> fields() {
        return fields;
    }

    /** The line as read (used to drop exact duplicates). */
    String line() {
        return line;
    }

    /** The file the line came from, or {@code -} for stdin. */
    String source() {
        return source;
    }

    String name() {
        return text(Fields.NAME);
    }

    String traceId() {
        return text(Fields.TRACE_ID);
    }

    /** The RPC id when it follows the docs/model.md#ids grammar, else null. */
    String rpcId() {
        String id = text(Fields.RPC_ID);
        return id != null && RpcId.isValid(id) ? id : null;
    }

    /** The service: {@code x_version}, e.g. {@code java-order-1.4}; empty when absent. */
    String service() {
        String v = text(Fields.VERSION);
        return v == null ? "" : v;
    }

    String action() {
        return text(Fields.ACTION);
    }

    String code() {
        Object v = fields.get(Fields.CODE);
        return v == null ? null : String.valueOf(v);
    }

    String msg() {
        return text(Fields.MSG);
    }

    /** Start in epoch milliseconds from {@code x_timestamp_ms}, else {@code x_timestamp}; -1 when neither. */
    long startMs() {
        Object ms = fields.get(Fields.TIMESTAMP_MS);
        if (ms instanceof Number) {
            return ((Number) ms).longValue();
        }
        Object s = fields.get(Fields.TIMESTAMP);
        if (s instanceof Number) {
            return Math.round(((Number) s).doubleValue() * 1000);
        }
        return -1;
    }

    boolean hasStart() {
        return startMs() >= 0;
    }

    /** {@code x_duration} in seconds, or -1 when absent. */
    double durationS() {
        Object d = fields.get(Fields.DURATION);
        return d instanceof Number ? ((Number) d).doubleValue() : -1;
    }

    /** The name without its {@code .error} suffix. */
    String baseName() {
        String n = name();
        return n.endsWith(RecordNames.ERROR_SUFFIX) ? n.substring(0, n.length() - RecordNames.ERROR_SUFFIX.length()) : n;
    }

    /**
     * True for a failed operation ({@code *.error}), an error-level log ({@code log.error},
     * {@code log.exception}, {@code log.alarm}), or a served request or HTTP call with a 5xx code.
     */
    boolean isError() {
        return isError(name(), code());
    }

    static boolean isError(String name, String code) {
        if (name.endsWith(RecordNames.ERROR_SUFFIX) || name.equals(RecordNames.LOG_ERROR)
                || name.equals(RecordNames.LOG_EXCEPTION) || name.equals(RecordNames.LOG_ALARM)) {
            return true;
        }
        boolean http = name.equals(RecordNames.REQUEST_INFO) || name.startsWith("http.");
        return http && code != null && code.length() == 3 && code.charAt(0) == '5'
                && Character.isDigit(code.charAt(1)) && Character.isDigit(code.charAt(2));
    }

    /** The server side of a call: {@code request.info} or {@code kafka.consume}. */
    boolean isServer() {
        String b = baseName();
        return b.equals(RecordNames.REQUEST_INFO) || b.equals(RecordNames.KAFKA_CONSUME);
    }

    /** A call to another service whose callee continues the trace at {@code <id>.1}. */
    boolean isRemoteClient() {
        String b = baseName();
        return b.startsWith("http.") || b.equals(RecordNames.GRPC_REQUEST) || b.equals(RecordNames.KAFKA_PRODUCE);
    }

    /** A levelled log or a metric: written at the current id, never a span of its own. */
    boolean isLogOrMetric() {
        String n = name();
        return n.startsWith("log.") || n.startsWith("metric.");
    }

    private String text(String key) {
        Object v = fields.get(key);
        return v instanceof String ? (String) v : null;
    }
}
