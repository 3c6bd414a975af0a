package io.rpctrace.viewer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.rpctrace.record.Fields;
import io.rpctrace.record.RecordNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The search requests of {@code trace}, {@code errors} and {@code slow} with {@code --es}, as JSON
 * bodies that OpenSearch 1.x–3.x and Elasticsearch 7.10–9.x all accept (no engine-specific
 * syntax), on the fields of trace-shipping's index template (keyword ids, names and codes;
 * {@code x_timestamp_ms} a date; {@code x_duration} a double).
 */
final class EngineQueries {
    private static final JsonFactory JSON = new JsonFactory();

    private EngineQueries() {
    }

    /** Writes one JSON body. */
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static byte[] json(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory
        }
        return out.toByteArray();
    }

    /**
     * One page of a trace's records, in index order ({@code _doc}, the cheapest for a scroll):
     * {@code {"size":5000,"sort":["_doc"],"query":{"term":{"x_trace_id":"…"}}}}.
     */
    static byte[] trace(String traceId, int pageSize) {
        return json(g -> {
            g.writeStartObject();
            g.writeNumberField("size", pageSize);
            g.writeArrayFieldStart("sort");
            g.writeString("_doc");
            g.writeEndArray();
            g.writeObjectFieldStart("query");
            term(g, Fields.TRACE_ID, traceId);
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** The next page of a scroll. */
    static byte[] scroll(String scrollId, String keepAlive) {
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("scroll", keepAlive);
            g.writeStringField("scroll_id", scrollId);
            g.writeEndObject();
        });
    }

    /** Frees a scroll. */
    static byte[] clearScroll(String scrollId) {
        return json(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("scroll_id");
            g.writeString(scrollId);
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * Error records ({@link TraceRecord#isError()}: {@code *.error}, {@code log.error},
     * {@code log.exception}, {@code log.alarm}, a served request or HTTP call with a 5xx code)
     * that started in the window, grouped by trace: the {@code top} traces with the latest
     * error, each with its error count, latest error time and first error; and how many
     * traces have errors at all ({@code cardinality}, exact below 40 000).
     */
    static byte[] errors(long fromMs, int top) {
        return json(g -> {
            g.writeStartObject();
            g.writeNumberField("size", 0);
            g.writeObjectFieldStart("query");
            g.writeObjectFieldStart("bool");
            since(g, fromMs);
            g.writeArrayFieldStart("should");
            g.writeStartObject();
            g.writeObjectFieldStart("wildcard");
            g.writeStringField(Fields.NAME, "*" + RecordNames.ERROR_SUFFIX);
            g.writeEndObject();
            g.writeEndObject();
            g.writeStartObject();
            g.writeObjectFieldStart("terms");
            g.writeArrayFieldStart(Fields.NAME);
            g.writeString(RecordNames.LOG_ERROR);
            g.writeString(RecordNames.LOG_EXCEPTION);
            g.writeString(RecordNames.LOG_ALARM);
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
            serverError5xx(g);
            g.writeEndArray();
            g.writeNumberField("minimum_should_match", 1);
            g.writeEndObject();
            g.writeEndObject();
            g.writeObjectFieldStart("aggs");
            g.writeObjectFieldStart("traces");
            g.writeObjectFieldStart("cardinality");
            g.writeStringField("field", Fields.TRACE_ID);
            g.writeNumberField("precision_threshold", 40000);
            g.writeEndObject();
            g.writeEndObject();
            g.writeObjectFieldStart("by_trace");
            g.writeObjectFieldStart("terms");
            g.writeStringField("field", Fields.TRACE_ID);
            g.writeNumberField("size", top);
            g.writeArrayFieldStart("order");
            g.writeStartObject();
            g.writeStringField("last", "desc");
            g.writeEndObject();
            g.writeStartObject();
            g.writeStringField("_key", "asc");
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeObjectFieldStart("aggs");
            g.writeObjectFieldStart("last");
            g.writeObjectFieldStart("max");
            g.writeStringField("field", Fields.TIMESTAMP_MS);
            g.writeEndObject();
            g.writeEndObject();
            g.writeObjectFieldStart("first");
            g.writeObjectFieldStart("top_hits");
            g.writeNumberField("size", 1);
            g.writeArrayFieldStart("sort");
            g.writeStartObject();
            g.writeStringField(Fields.TIMESTAMP_MS, "asc");
            g.writeEndObject();
            // the same tie-break as ErrorsCommand.EARLIER: a failed call and its callee's failed
            // request often start in the same millisecond
            ascendingMissingFirst(g, Fields.RPC_ID);
            ascendingMissingFirst(g, Fields.NAME);
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static void ascendingMissingFirst(JsonGenerator g, String field) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart(field);
        g.writeStringField("order", "asc");
        g.writeStringField("missing", "_first");
        g.writeEndObject();
        g.writeEndObject();
    }

    /** The {@code top} slowest served requests ({@code request.info}, failed ones too) that started in the window. */
    static byte[] slow(long fromMs, int top) {
        return json(g -> {
            g.writeStartObject();
            g.writeNumberField("size", top);
            g.writeObjectFieldStart("query");
            g.writeObjectFieldStart("bool");
            g.writeArrayFieldStart("filter");
            g.writeStartObject();
            g.writeObjectFieldStart("terms");
            g.writeArrayFieldStart(Fields.NAME);
            g.writeString(RecordNames.REQUEST_INFO);
            g.writeString(RecordNames.error(RecordNames.REQUEST_INFO));
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
            g.writeStartObject();
            g.writeObjectFieldStart("exists");
            g.writeStringField("field", Fields.DURATION);
            g.writeEndObject();
            g.writeEndObject();
            rangeSince(g, fromMs);
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
            g.writeArrayFieldStart("sort");
            g.writeStartObject();
            g.writeStringField(Fields.DURATION, "desc");
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void term(JsonGenerator g, String field, String value) throws IOException {
        g.writeObjectFieldStart("term");
        g.writeStringField(field, value);
        g.writeEndObject();
    }

    private static void since(JsonGenerator g, long fromMs) throws IOException {
        g.writeArrayFieldStart("filter");
        rangeSince(g, fromMs);
        g.writeEndArray();
    }

    private static void rangeSince(JsonGenerator g, long fromMs) throws IOException {
        if (fromMs == Long.MIN_VALUE) {
            return;
        }
        g.writeStartObject();
        g.writeObjectFieldStart("range");
        g.writeObjectFieldStart(Fields.TIMESTAMP_MS);
        g.writeNumberField("gte", fromMs);
        g.writeStringField("format", "epoch_millis");
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    /** A served request or an HTTP call answered with a 5xx code. */
    private static void serverError5xx(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("bool");
        g.writeArrayFieldStart("filter");
        g.writeStartObject();
        g.writeObjectFieldStart("bool");
        g.writeArrayFieldStart("should");
        g.writeStartObject();
        term(g, Fields.NAME, RecordNames.REQUEST_INFO);
        g.writeEndObject();
        g.writeStartObject();
        g.writeObjectFieldStart("prefix");
        g.writeStringField(Fields.NAME, "http.");
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
        g.writeStartObject();
        g.writeObjectFieldStart("regexp");
        g.writeStringField(Fields.CODE, "5[0-9][0-9]");
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }
}
