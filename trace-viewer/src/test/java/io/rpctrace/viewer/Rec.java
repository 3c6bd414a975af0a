package io.rpctrace.viewer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds record lines the way the encoder writes them (docs/record.md#fields key order, no spaces), for
 * generated test logs: {@code Rec.of("mysql.request", T, "0.2").version("java-a-1.0").at(t0, 0.005).line()}.
 */
final class Rec {
    private static final JsonFactory JSON = new JsonFactory();
    private static final String[] ORDER = io.rpctrace.record.Fields.ORDER;
    private final Map<String, Object> f = new LinkedHashMap<>();

    static Rec of(String name, String traceId, String rpcId) {
        Rec r = new Rec();
        r.f.put("x_name", name);
        r.f.put("x_trace_id", traceId);
        if (rpcId != null) {
            r.f.put("x_rpc_id", rpcId);
        }
        return r;
    }

    Rec version(String v) {
        return put("x_version", v);
    }

    /** Start (epoch ms) and duration (seconds); a negative duration leaves it out. */
    Rec at(long ms, double durationS) {
        put("x_timestamp", ms / 1000);
        put("x_timestamp_ms", ms);
        if (durationS >= 0) {
            put("x_duration", durationS);
        }
        return this;
    }

    Rec action(String a) {
        return put("x_action", a);
    }

    Rec code(String c) {
        return put("x_code", c);
    }

    Rec msg(String m) {
        return put("x_msg", m);
    }

    Rec put(String key, Object value) {
        f.put(key, value);
        return this;
    }

    String line() {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            for (String key : ORDER) {
                Object v = f.get(key);
                if (v == null) {
                    continue;
                }
                if (v instanceof String) {
                    g.writeStringField(key, (String) v);
                } else if (v instanceof Double) {
                    g.writeFieldName(key);
                    g.writeRawValue(String.format(java.util.Locale.ROOT, "%.6f", (Double) v));
                } else if (v instanceof Map) {
                    g.writeFieldName(key);
                    JsonRenderer.writeValue(v, g);
                } else {
                    g.writeFieldName(key);
                    g.writeNumber(((Number) v).longValue());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
