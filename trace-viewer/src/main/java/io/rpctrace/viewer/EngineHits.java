package io.rpctrace.viewer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Turns a search hit's {@code _source} back into the record line it was indexed from.
 *
 * <p>Design note: the viewer breaks ties and drops exact duplicates by a record's line, so
 * records from the engine must carry the same line as from the files for {@code trace --es}
 * to draw exactly the same tree. An engine returns {@code _source} byte for byte as it was
 * indexed, and trace-shipping's indexers append where the line was read ({@code host},
 * {@code log}) after the record's last field: the line is then the {@code _source} up to those
 * fields. A {@code _source} that mixes other keys among the {@code x_*} fields (an ingest
 * pipeline, Logstash) is written again with its {@code x_*} fields only.
 */
final class EngineHits {
    private static final JsonFactory JSON = new JsonFactory();

    private EngineHits() {
    }

    /**
     * The record in {@code buf[from, to)} (one {@code _source} object), or null when it is not
     * one; {@code fallbackSource} names it when the document says nothing of where it was read.
     */
    static TraceRecord record(byte[] buf, int from, int to, String fallbackSource) {
        try (JsonParser p = JSON.createParser(buf, from, to - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            int cut = -1; // where the first key that is not a record field starts
            boolean mixed = false;
            String host = null;
            String path = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int keyAt = from + (int) p.currentTokenLocation().getByteOffset();
                JsonToken value = p.nextToken();
                if (key.startsWith("x_")) {
                    mixed |= cut >= 0;
                } else {
                    if (cut < 0) {
                        cut = keyAt;
                    }
                    if (key.equals("host") && value == JsonToken.START_OBJECT) {
                        host = nested(p, "name", host);
                        continue;
                    }
                    if (key.equals("log") && value == JsonToken.START_OBJECT) {
                        path = filePath(p, path);
                        continue;
                    }
                }
                p.skipChildren();
            }
            String source = path == null ? fallbackSource : (host == null ? "" : host + ":") + path;
            if (cut < 0) {
                return RecordParser.parse(buf, from, to, source);
            }
            byte[] line = mixed ? recordFieldsOnly(buf, from, to) : upTo(buf, from, cut);
            return line == null ? null : RecordParser.parse(line, 0, line.length, source);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The object up to the comma before {@code cut}, closed. */
    private static byte[] upTo(byte[] buf, int from, int cut) {
        int comma = cut - 1;
        while (comma > from && buf[comma] != ',') {
            comma--;
        }
        if (comma <= from) {
            return null;
        }
        byte[] line = new byte[comma - from + 1];
        System.arraycopy(buf, from, line, 0, comma - from);
        line[line.length - 1] = '}';
        return line;
    }

    private static byte[] recordFieldsOnly(byte[] buf, int from, int to) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(to - from);
        try (JsonParser p = JSON.createParser(buf, from, to - from);
             JsonGenerator g = JSON.createGenerator(out)) {
            p.nextToken();
            g.writeStartObject();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (key.startsWith("x_")) {
                    g.writeFieldName(key);
                    g.copyCurrentStructure(p);
                } else {
                    p.skipChildren();
                }
            }
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** Inside an object: the string at {@code key}, skipping the rest. */
    private static String nested(JsonParser p, String key, String dflt) throws IOException {
        String found = dflt;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            JsonToken v = p.nextToken();
            if (k.equals(key) && v == JsonToken.VALUE_STRING) {
                found = p.getText();
            } else {
                p.skipChildren();
            }
        }
        return found;
    }

    /** Inside {@code log}: {@code file.path}. */
    private static String filePath(JsonParser p, String dflt) throws IOException {
        String found = dflt;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            JsonToken v = p.nextToken();
            if (k.equals("file") && v == JsonToken.START_OBJECT) {
                found = nested(p, "path", found);
            } else {
                p.skipChildren();
            }
        }
        return found;
    }
}
