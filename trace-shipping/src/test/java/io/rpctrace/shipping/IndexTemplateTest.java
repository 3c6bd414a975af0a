package io.rpctrace.shipping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * index/: install.sh puts the same template into OpenSearch 2.19 and Elasticsearch 7.10.2, and
 * every x_* field of real records gets its fixed type, aggregatable where it should be.
 */
class IndexTemplateTest {
    static final String INDEX = "rpctrace-template-test";

    /** The type every field must have, by name (docs/record.md#fields); x_extra.* by its rule. */
    static final Map<String, String> TYPES = new TreeMap<>(Map.ofEntries(
            Map.entry("x_name", "keyword"), Map.entry("x_trace_id", "keyword"), Map.entry("x_rpc_id", "keyword"),
            Map.entry("x_department", "keyword"), Map.entry("x_version", "keyword"),
            Map.entry("x_timestamp", "date"), Map.entry("x_timestamp_ms", "date"), Map.entry("x_duration", "double"),
            Map.entry("x_module", "keyword"), Map.entry("x_source", "keyword"), Map.entry("x_uid", "keyword"),
            Map.entry("x_pid", "keyword"), Map.entry("x_server_ip", "keyword"), Map.entry("x_client_ip", "keyword"),
            Map.entry("x_user_agent", "keyword"), Map.entry("x_host", "keyword"),
            Map.entry("x_instance_name", "keyword"), Map.entry("x_db", "keyword"), Map.entry("x_code", "keyword"),
            Map.entry("x_msg", "keyword"), Map.entry("x_msg.text", "text"), Map.entry("x_backtrace", "text"),
            Map.entry("x_action", "keyword"), Map.entry("x_action.text", "text"), Map.entry("x_param", "text"),
            Map.entry("x_file", "keyword"), Map.entry("x_line", "keyword"), Map.entry("x_response", "text"),
            Map.entry("x_response_len", "long"), Map.entry("x_dns_duration", "double"),
            Map.entry("host.name", "keyword"), Map.entry("log.file.path", "keyword"), Map.entry("log.offset", "long")));

    static String expectedExtraType(String key, JsonNode value) {
        if (key.matches("count|errors|requests|bad_requests|dropped|bytes_.*|.*_ms")) {
            return "long";
        }
        if (key.endsWith("_s")) {
            return "double";
        }
        return value.isTextual() ? "keyword" : value.isIntegralNumber() ? "long" : "double";
    }

    @BeforeAll
    static void install() throws Exception {
        for (SearchEngine e : SearchEngine.all()) {
            String out = runInstall(e.url());
            assertTrue(out.contains("PUT /_index_template/rpctrace (rpctrace-template.json): ok"), out);
            // neither test engine carries the retention plugin (ILM is x-pack, ISM a plugin): it says so
            assertTrue(out.contains("indices are kept until deleted"), out);
            e.deleteIndices(INDEX);
        }
    }

    static String runInstall(String url) throws IOException, InterruptedException {
        Path script = shippingDir().resolve("index/install.sh");
        Process p = new ProcessBuilder("sh", script.toString(), url).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    static Path shippingDir() {
        return Paths.get(System.getProperty("rpctrace.shipping.dir"));
    }

    @Test
    void installIsRepeatable() throws Exception {
        for (SearchEngine e : SearchEngine.all()) {
            runInstall(e.url());
            JsonNode t = e.get("/_index_template/rpctrace").path("index_templates").get(0).path("index_template");
            assertEquals("rpctrace-*", t.path("index_patterns").get(0).asText(), e.name());
        }
    }

    @Test
    void everyFieldOfRealRecordsHasItsFixedType() {
        SampleRecords sample = SampleRecords.get();
        Map<String, String> expected = new TreeMap<>();
        for (String line : sample.lines) {
            JsonNode r = SampleRecords.parse(line);
            for (Map.Entry<String, JsonNode> f : r.properties()) {
                if (f.getKey().equals("x_extra")) {
                    f.getValue().properties().forEach(x ->
                            expected.put("x_extra." + x.getKey(), expectedExtraType(x.getKey(), x.getValue())));
                } else {
                    expected.put(f.getKey(), TYPES.get(f.getKey()));
                }
            }
        }
        // what the run must have produced for this test to mean something
        for (String k : new String[] {"x_duration", "x_client_ip", "x_host", "x_db", "x_code", "x_msg", "x_action",
                "x_extra.count", "x_extra.p99_s", "x_extra.requests", "x_extra.bytes_in", "x_extra.window_s"}) {
            assertTrue(expected.containsKey(k), "the sample has no " + k + ": " + expected.keySet());
        }
        for (SearchEngine e : SearchEngine.all()) {
            e.bulkIndex(INDEX, sample.lines);
            assertEquals(sample.lines.size(), e.get("/" + INDEX + "/_count").path("count").asInt(), e.name());
            JsonNode caps = e.get("/" + INDEX + "/_field_caps?fields=x_*,host.*,log.*").path("fields");
            TreeSet<String> wrong = new TreeSet<>();
            expected.forEach((field, type) -> {
                JsonNode byType = caps.path(field);
                if (!byType.has(type) || byType.size() != 1) {
                    wrong.add(field + ": expected " + type + ", got " + byType);
                } else if (!type.equals("text") && !byType.path(type).path("aggregatable").asBoolean()) {
                    wrong.add(field + " is not aggregatable");
                }
            });
            if (expected.containsKey("x_msg")) {
                assertTrue(caps.path("x_msg.text").has("text"), e + ": x_msg.text " + caps.path("x_msg.text"));
            }
            assertTrue(wrong.isEmpty(), e + ": " + wrong);
        }
    }

    @Test
    void moduleTermsAndDurationPercentilesAggregate() {
        SampleRecords sample = SampleRecords.get();
        long orders = sample.lines.stream().map(SampleRecords::parse)
                .filter(r -> r.path("x_name").asText().equals("request.info")
                        && r.path("x_action").asText().endsWith("/orders")).count();
        for (SearchEngine e : SearchEngine.all()) {
            e.bulkIndex(INDEX, sample.lines);
            JsonNode aggs = e.post("/" + INDEX + "/_search", """
                    {"size":0,"query":{"term":{"x_name":"request.info"}},
                     "aggs":{"actions":{"terms":{"field":"x_action","size":20}},
                             "p":{"percentiles":{"field":"x_duration","percents":[50,99]}}}}""").path("aggregations");
            long seen = 0;
            for (JsonNode b : aggs.path("actions").path("buckets")) {
                if (b.path("key").asText().endsWith("/orders")) {
                    seen += b.path("doc_count").asLong();
                }
            }
            assertEquals(orders, seen, e + ": " + aggs);
            double p50 = aggs.path("p").path("values").path("50.0").asDouble();
            double p99 = aggs.path("p").path("values").path("99.0").asDouble();
            assertTrue(p50 > 0 && p50 <= p99 && p99 < 10, e + ": " + aggs.path("p"));
        }
    }
}
