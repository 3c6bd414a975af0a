package io.rpctrace.viewer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses one record line (docs/record.md#fields) with jackson-core's streaming parser. Anything that is
 * not exactly one JSON object with string {@code x_name} and {@code x_trace_id} is rejected
 * (returns null): a line cut in half, two records glued together, garbage.
 */
final class RecordParser {
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] RECORD_START = "{\"x_name\":".getBytes(StandardCharsets.UTF_8);

    private RecordParser() {
    }

    /** The record on {@code buf[from, to)}, or null when the line is not exactly one. */
    static TraceRecord parse(byte[] buf, int from, int to, String source) {
        return parseExact(buf, from, to, source);
    }

    /**
     * For a line {@link #parse} rejected: a writer killed mid-line leaves a fragment the next
     * record is appended to ({@code {"x_name":"http.po{"x_name":"request.info",...}}); this
     * returns the last whole record on the line, or null.
     */
    static TraceRecord recoverGlued(byte[] buf, int from, int to, String source) {
        int at = lastIndexOf(buf, from + 1, to, RECORD_START);
        return at > from ? parseExact(buf, at, to, source) : null;
    }

    private static TraceRecord parseExact(byte[] buf, int from, int to, String source) {
        try (JsonParser p = JSON.createParser(buf, from, to - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, Object> fields = readObject(p);
            if (p.nextToken() != null) {
                return null;
            }
            if (!(fields.get("x_name") instanceof String) || !(fields.get("x_trace_id") instanceof String)) {
                return null;
            }
            return new TraceRecord(fields, new String(buf, from, to - from, StandardCharsets.UTF_8), source);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Map<String, Object> readObject(JsonParser p) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            out.put(key, readValue(p));
        }
        if (t != JsonToken.END_OBJECT) {
            throw new IOException("object not closed");
        }
        return out;
    }

    private static Object readValue(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw new IOException("value missing");
        }
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_OBJECT:
                return readObject(p);
            case START_ARRAY:
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (p.currentToken() == null) {
                        throw new IOException("array not closed");
                    }
                    list.add(readValue(p));
                }
                return list;
            default:
                throw new IOException("unexpected " + t);
        }
    }

    private static int lastIndexOf(byte[] b, int from, int to, byte[] pat) {
        for (int i = to - pat.length; i >= from; i--) {
            int k = 0;
            while (k < pat.length && b[i + k] == pat[k]) {
                k++;
            }
            if (k == pat.length) {
                return i;
            }
        }
        return -1;
    }
}
