package io.rpctrace;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.rpctrace.config.Config;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.Record;
import io.rpctrace.record.RecordEncoder;
import io.rpctrace.writer.RecordWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A test writer: encodes every record with the real encoder and keeps the lines. */
public final class CollectingWriter implements RecordWriter {
    private static final JsonFactory JSON = new JsonFactory();
    private final ThreadLocal<RecordEncoder> encoders =
            ThreadLocal.withInitial(() -> new RecordEncoder("dept", "test-1.0", "42", 64 * 1024));
    private final List<String> lines = new ArrayList<>();

    @Override
    public Record claim() {
        return new Record();
    }

    @Override
    public void publish(Record record) {
        RecordEncoder e = encoders.get();
        int n = e.encode(record);
        String line = new String(e.buffer(), 0, n, StandardCharsets.UTF_8);
        synchronized (lines) {
            lines.add(line);
        }
    }

    /**
     * Starts the JVM's tracer with {@code config} ({@code key, value, ...}; the defaults for the
     * rest) writing to a new collecting writer, and returns that writer.
     */
    public static CollectingWriter startTracing(String... config) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < config.length; i += 2) {
            m.put(config[i], config[i + 1]);
        }
        CollectingWriter w = new CollectingWriter();
        Tracing.start(Config.of(m), w);
        return w;
    }

    /** Starts the tracer again with the defaults: what a test that changed the configuration leaves behind. */
    public static void resetTracing() {
        startTracing();
    }

    /** The lines written so far. */
    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    /** The records written so far, parsed back (top-level keys, x_extra as a nested map). */
    public List<Map<String, Object>> records() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String l : lines()) {
            out.add(parse(l));
        }
        return out;
    }

    /** The records named {@code name} (the {@code x_name} field), parsed back, in the order written. */
    public List<Map<String, Object>> named(String name) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> r : records()) {
            if (name.equals(r.get("x_name"))) {
                out.add(r);
            }
        }
        return out;
    }

    /** Clears the lines. */
    public void clear() {
        synchronized (lines) {
            lines.clear();
        }
    }

    /** Parses one JSON line into a map keeping Jackson's types (Long, Double, String, Map). */
    public static Map<String, Object> parse(String line) {
        try (JsonParser p = JSON.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("not an object: " + line);
            }
            Map<String, Object> m = object(p);
            if (p.nextToken() != null) {
                throw new IllegalArgumentException("trailing content: " + line);
            }
            return m;
        } catch (IOException e) {
            throw new IllegalArgumentException("invalid JSON: " + line, e);
        }
    }

    private static Map<String, Object> object(JsonParser p) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            JsonToken t = p.nextToken();
            switch (t) {
                case START_OBJECT: m.put(k, object(p)); break;
                case VALUE_STRING: m.put(k, p.getText()); break;
                case VALUE_NUMBER_INT: m.put(k, p.getLongValue()); break;
                case VALUE_NUMBER_FLOAT: m.put(k, p.getDoubleValue()); break;
                default: throw new IllegalArgumentException("unexpected " + t);
            }
        }
        return m;
    }

    @Override public void flush() { }
    @Override public void close() { }
    @Override public long dropped() { return 0; }
    @Override public long written() { return lines().size(); }
}
