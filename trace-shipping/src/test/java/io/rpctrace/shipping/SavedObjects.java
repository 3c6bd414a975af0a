package io.rpctrace.shipping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * dashboards/rpctrace.ndjson read as the engines would run it: each saved search and
 * visualization becomes the search request Kibana or OpenSearch Dashboards sends (its Lucene
 * query, its sort, its aggregations nested bucket by bucket with the metrics innermost).
 */
final class SavedObjects {
    static final ObjectMapper JSON = new ObjectMapper();
    final Map<String, JsonNode> byId = new LinkedHashMap<>();
    JsonNode exportSummary;

    static SavedObjects read(Path ndjson) {
        SavedObjects s = new SavedObjects();
        try {
            for (String line : Files.readAllLines(ndjson)) {
                JsonNode o = JSON.readTree(line);
                if (o.has("exportedCount")) {
                    s.exportSummary = o;
                } else {
                    s.byId.put(o.path("id").asText(), o);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return s;
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode searchSource(JsonNode object) {
        return parse(object.path("attributes").path("kibanaSavedObjectMeta").path("searchSourceJSON").asText());
    }

    static JsonNode visState(JsonNode visualization) {
        return parse(visualization.path("attributes").path("visState").asText());
    }

    /** The query of a saved object: its Lucene query string (all of them are Lucene). */
    static ObjectNode query(JsonNode object) {
        JsonNode q = searchSource(object).path("query");
        if (!q.path("language").asText().equals("lucene")) {
            throw new AssertionError(object.path("id") + ": query language " + q.path("language"));
        }
        ObjectNode qs = JSON.createObjectNode();
        qs.putObject("query_string").put("query", q.path("query").asText());
        return qs;
    }

    /** A saved search as a request: query, its sort, 100 hits. */
    static String searchRequest(JsonNode search) {
        ObjectNode body = JSON.createObjectNode();
        body.put("size", 100);
        body.set("query", query(search));
        ArrayNode sort = body.putArray("sort");
        for (JsonNode s : search.path("attributes").path("sort")) {
            sort.addObject().put(s.get(0).asText(), s.get(1).asText());
        }
        return body.toString();
    }

    /** A visualization as a request: query, no hits, its aggregations. */
    static String aggregationRequest(JsonNode visualization) {
        JsonNode aggs = visState(visualization).path("aggs");
        List<JsonNode> buckets = new ArrayList<>();
        List<JsonNode> metrics = new ArrayList<>();
        for (JsonNode a : aggs) {
            (a.path("schema").asText().equals("metric") ? metrics : buckets).add(a);
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("size", 0);
        body.set("query", query(visualization));
        ObjectNode level = body.putObject("aggs");
        for (JsonNode b : buckets) {
            ObjectNode agg = level.putObject(b.path("id").asText());
            JsonNode p = b.path("params");
            switch (b.path("type").asText()) {
                case "terms" -> {
                    ObjectNode t = agg.putObject("terms");
                    t.put("field", p.path("field").asText()).put("size", p.path("size").asInt());
                    t.putObject("order").put(orderKey(p, metrics), p.path("order").asText());
                }
                case "date_histogram" -> agg.putObject("date_histogram").put("field", p.path("field").asText())
                        .put("fixed_interval", "1h").put("min_doc_count", 1);
                default -> throw new AssertionError("bucket aggregation " + b.path("type") + " not translated");
            }
            level = agg.putObject("aggs");
            // like Kibana: the metrics at every level, so a terms level can be ordered by one
            addMetrics(level, metrics);
        }
        if (buckets.isEmpty()) {
            addMetrics(level, metrics);
        }
        return body.toString();
    }

    private static void addMetrics(ObjectNode level, List<JsonNode> metrics) {
        for (JsonNode m : metrics) {
            String type = m.path("type").asText();
            if (type.equals("count")) {
                continue; // every bucket has doc_count
            }
            ObjectNode agg = level.putObject(m.path("id").asText()).putObject(type);
            agg.put("field", m.path("params").path("field").asText());
            if (type.equals("percentiles")) {
                agg.set("percents", m.path("params").path("percents"));
            }
        }
    }

    private static String orderKey(JsonNode params, List<JsonNode> metrics) {
        String by = params.path("orderBy").asText();
        if (by.equals("_key")) {
            return "_key";
        }
        if (by.equals("custom")) {
            String type = params.path("orderAgg").path("type").asText();
            if (!type.equals("count")) {
                throw new AssertionError("custom order by " + type + " not translated");
            }
            return "_count";
        }
        for (JsonNode m : metrics) {
            if (m.path("id").asText().equals(by)) {
                return m.path("type").asText().equals("count") ? "_count" : by;
            }
        }
        throw new AssertionError("orderBy " + by + " names no metric");
    }

    /** Every field the object searches, sorts, shows or aggregates on. */
    static List<String> fields(JsonNode object, boolean aggregatedOnly) {
        List<String> out = new ArrayList<>();
        if (object.path("type").asText().equals("visualization")) {
            for (JsonNode a : visState(object).path("aggs")) {
                if (a.path("params").has("field")) {
                    out.add(a.path("params").path("field").asText());
                }
            }
        } else if (object.path("type").asText().equals("search")) {
            object.path("attributes").path("sort").forEach(s -> out.add(s.get(0).asText()));
            if (!aggregatedOnly) {
                object.path("attributes").path("columns").forEach(c -> out.add(c.asText()));
            }
        }
        return out;
    }
}
