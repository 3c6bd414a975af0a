package io.rpctrace.viewer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.rpctrace.viewer.EngineClient.EngineException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer to {@link EngineQueries#errors}: one {@link ErrorsCommand.Summary} per trace
 * bucket (error count, latest error, first error) and the number of traces with errors.
 */
final class ErrorsFromEngine {
    private static final JsonFactory JSON = new JsonFactory();

    final List<ErrorsCommand.Summary> traces = new ArrayList<>();
    /** Traces with errors in the window ({@code cardinality}: exact below 40 000). */
    long total;

    static ErrorsFromEngine parse(byte[] body, EngineSearch search) throws EngineException {
        ErrorsFromEngine out = new ErrorsFromEngine();
        boolean sawShards = false;
        try (JsonParser p = JSON.createParser(body)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if (key.equals("_shards") && v == JsonToken.START_OBJECT) {
                    sawShards = true;
                    if (shardsTotal(p) == 0) {
                        throw search.noIndex();
                    }
                } else if (key.equals("aggregations") && v == JsonToken.START_OBJECT) {
                    aggregations(p, body, search, out);
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new EngineException("the engine did not answer with an aggregation: " + e.getMessage());
        }
        if (!sawShards) {
            throw new EngineException("the engine did not answer with an aggregation");
        }
        return out;
    }

    private static void aggregations(JsonParser p, byte[] body, EngineSearch search, ErrorsFromEngine out)
            throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (name.equals("traces")) {
                out.total = (long) EngineSearch.numberIn(p, "value");
            } else if (name.equals("by_trace")) {
                buckets(p, body, search, out.traces);
            } else {
                p.skipChildren();
            }
        }
    }

    private static void buckets(JsonParser p, byte[] body, EngineSearch search, List<ErrorsCommand.Summary> out)
            throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            JsonToken v = p.nextToken();
            if (!k.equals("buckets") || v != JsonToken.START_ARRAY) {
                p.skipChildren();
                continue;
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String traceId = null;
                int count = 0;
                double last = -1;
                List<TraceRecord> first = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    JsonToken fv = p.nextToken();
                    if (f.equals("key") && fv == JsonToken.VALUE_STRING) {
                        traceId = p.getText();
                    } else if (f.equals("doc_count")) {
                        count = p.getIntValue();
                    } else if (f.equals("last") && fv == JsonToken.START_OBJECT) {
                        last = EngineSearch.numberIn(p, "value");
                    } else if (f.equals("first") && fv == JsonToken.START_OBJECT) {
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String h = p.currentName();
                            JsonToken hv = p.nextToken();
                            if (h.equals("hits") && hv == JsonToken.START_OBJECT) {
                                search.readHits(p, body, first);
                            } else {
                                p.skipChildren();
                            }
                        }
                    } else {
                        p.skipChildren();
                    }
                }
                if (traceId != null && !first.isEmpty() && first.get(0) != null) {
                    ErrorsCommand.Summary s = new ErrorsCommand.Summary(traceId);
                    s.errors = count;
                    s.lastMs = (long) last;
                    s.first = first.get(0);
                    out.add(s);
                }
            }
        }
    }

    private static int shardsTotal(JsonParser p) throws IOException {
        return (int) EngineSearch.numberIn(p, "total");
    }
}
