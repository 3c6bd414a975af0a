package io.rpctrace.shipping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * dashboards/rpctrace.ndjson: no UI runs here, so every saved search and visualization is run as
 * the search it makes, on both engines, against a data set whose answers are known; every
 * reference resolves inside the file; every field used has the template's aggregatable type.
 */
class SavedObjectsTest {
    static final String INDEX = "rpctrace-saved-objects-test";
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"; // the id in the saved search's query
    static final long T0 = 1763800000000L;
    static final SavedObjects SAVED = SavedObjects.read(IndexTemplateTest.shippingDir().resolve("dashboards/rpctrace.ndjson"));
    static final List<String> DATA = new ArrayList<>();

    static void record(String name, String fields) {
        long ms = T0 + DATA.size() * 1000L;
        DATA.add("{\"x_name\":\"" + name + "\",\"x_trace_id\":\"" + (fields.contains("\"x_rpc_id\":\"0.") ? TRACE
                : String.format("%032x", DATA.size())) + "\",\"x_version\":\"svc-a\",\"x_timestamp\":" + ms / 1000
                + ",\"x_timestamp_ms\":" + ms + (fields.isEmpty() ? "" : "," + fields) + "}");
    }

    @BeforeAll
    static void data() throws Exception {
        // one trace, written out of order
        record("http.post", "\"x_rpc_id\":\"0.3\",\"x_duration\":0.040000,\"x_module\":\"order_api\",\"x_code\":\"200\"");
        record("request.info", "\"x_rpc_id\":\"0.1\",\"x_duration\":0.120000,\"x_module\":\"order_api\",\"x_code\":\"200\"");
        record("mysql.request", "\"x_rpc_id\":\"0.2\",\"x_duration\":0.005000,\"x_module\":\"order_dao\",\"x_code\":\"0\"");
        record("log.info", "\"x_rpc_id\":\"0.3.1\",\"x_module\":\"stock_api\",\"x_msg\":\"reserving\"");
        // errors, by code and host
        for (int i = 0; i < 2; i++) {
            record("mysql.request.error", "\"x_duration\":0.013000,\"x_module\":\"order_dao\",\"x_host\":\"db:3306\",\"x_code\":\"1213\"");
        }
        for (int i = 0; i < 3; i++) {
            record("http.get.error", "\"x_duration\":0.001000,\"x_module\":\"pay\",\"x_host\":\"10.0.0.9:80\",\"x_code\":\"CONNECT_REFUSED\"");
        }
        record("http.get.error", "\"x_duration\":0.002000,\"x_module\":\"pay\",\"x_host\":\"10.0.0.8:80\",\"x_code\":\"EMPTY_REPLY\"");
        record("http.post.error", "\"x_duration\":0.003000,\"x_module\":\"pay\",\"x_host\":\"10.0.0.8:80\",\"x_code\":\"CONNECTION_RESET\"");
        record("request.info", "\"x_duration\":0.250000,\"x_module\":\"order_api\",\"x_host\":\"\",\"x_code\":\"503\"");
        record("http.get", "\"x_duration\":0.030000,\"x_module\":\"pay\",\"x_host\":\"10.0.0.7:80\",\"x_code\":\"502\"");
        record("log.error", "\"x_module\":\"order_api\",\"x_msg\":\"no stock\"");
        // durations per module: "slow_mod" 2.0 s always; "fast_mod" 0.01 .. 0.10
        for (int i = 1; i <= 10; i++) {
            record("redis.request", "\"x_duration\":" + String.format("%.6f", i / 100.0) + ",\"x_module\":\"fast_mod\",\"x_code\":\"OK\"");
            record("grpc.request", "\"x_duration\":2.000000,\"x_module\":\"slow_mod\",\"x_code\":\"OK\"");
        }
        // client IPs: the 5-minute window counts, the 10-second one must not
        record("metric.ip", "\"x_client_ip\":\"1.1.1.1\",\"x_extra\":{\"window_s\":300,\"requests\":10,\"errors\":1,\"bytes_in\":1000,\"bytes_out\":2000,\"handled_s\":0.5}");
        record("metric.ip", "\"x_client_ip\":\"1.1.1.1\",\"x_extra\":{\"window_s\":300,\"requests\":4,\"errors\":0,\"bytes_in\":400,\"bytes_out\":800,\"handled_s\":0.1}");
        record("metric.ip", "\"x_client_ip\":\"2.2.2.2\",\"x_extra\":{\"window_s\":300,\"requests\":5,\"errors\":2,\"bytes_in\":50,\"bytes_out\":60,\"handled_s\":0.2}");
        record("metric.ip", "\"x_client_ip\":\"1.1.1.1\",\"x_extra\":{\"window_s\":10,\"requests\":99,\"errors\":9,\"bytes_in\":9,\"bytes_out\":9,\"handled_s\":0.9}");
        // writer drops, and a user counter that is not one
        record("metric.counter", "\"x_module\":\"rpctrace_writer_dropped\",\"x_extra\":{\"count\":7,\"interval_s\":10.0,\"cause\":\"ring_full\"}");
        record("metric.counter", "\"x_module\":\"rpctrace_writer_dropped\",\"x_extra\":{\"count\":3,\"interval_s\":10.0,\"cause\":\"io\"}");
        record("metric.counter", "\"x_module\":\"rpctrace_writer_dropped\",\"x_extra\":{\"count\":2,\"interval_s\":10.0,\"cause\":\"ring_full\"}");
        record("metric.counter", "\"x_module\":\"orders_created\",\"x_extra\":{\"count\":50,\"interval_s\":10.0}");
        for (SearchEngine e : SearchEngine.all()) {
            IndexTemplateTest.runInstall(e.url());
            e.deleteIndices(INDEX);
            e.bulkIndex(INDEX, DATA);
        }
    }

    @Test
    void everyReferenceResolvesInsideTheFile() {
        assertEquals(SAVED.byId.size(), SAVED.exportSummary.path("exportedCount").asInt());
        Set<String> types = new TreeSet<>();
        for (JsonNode o : SAVED.byId.values()) {
            types.add(o.path("type").asText());
            assertEquals("WzEsMV0=", o.path("version").asText(), o.path("id").asText());
            Set<String> refNames = new TreeSet<>();
            for (JsonNode r : o.path("references")) {
                JsonNode target = SAVED.byId.get(r.path("id").asText());
                assertTrue(target != null, o.path("id") + " refers to missing " + r);
                assertEquals(r.path("type").asText(), target.path("type").asText(), o.path("id") + " -> " + r);
                refNames.add(r.path("name").asText());
            }
            JsonNode attributes = o.path("attributes");
            if (attributes.has("kibanaSavedObjectMeta") && !o.path("type").asText().equals("dashboard")) {
                String ref = SavedObjects.searchSource(o).path("indexRefName").asText();
                assertTrue(refNames.contains(ref), o.path("id") + ": indexRefName " + ref + " not in " + refNames);
            }
            if (attributes.has("panelsJSON")) {
                for (JsonNode p : SavedObjects.parse(attributes.path("panelsJSON").asText())) {
                    assertTrue(refNames.contains(p.path("panelRefName").asText()), o.path("id") + ": " + p);
                }
            }
        }
        assertEquals(Set.of("dashboard", "index-pattern", "search", "visualization"), types);
        assertEquals("x_timestamp_ms", SAVED.byId.get("rpctrace").path("attributes").path("timeFieldName").asText());
    }

    @Test
    void everyFieldUsedHasTheTemplatesAggregatableType() {
        for (SearchEngine e : SearchEngine.all()) {
            JsonNode caps = e.get("/" + INDEX + "/_field_caps?fields=*").path("fields");
            for (JsonNode o : SAVED.byId.values()) {
                for (String f : SavedObjects.fields(o, false)) {
                    assertTrue(caps.has(f), e + ": " + o.path("id") + " uses " + f + ", not in the index");
                }
                for (String f : SavedObjects.fields(o, true)) {
                    JsonNode byType = caps.path(f);
                    assertEquals(1, byType.size(), e + ": " + f + " " + byType);
                    assertTrue(byType.elements().next().path("aggregatable").asBoolean(), e + ": " + f + " " + byType);
                }
            }
        }
    }

    @Test
    void theTraceSearchListsTheTraceByRpcId() {
        for (SearchEngine e : SearchEngine.all()) {
            List<String> ids = new ArrayList<>();
            hits(e, "rpctrace-trace").forEach(h -> ids.add(h.path("_source").path("x_rpc_id").asText()));
            assertEquals(List.of("0.1", "0.2", "0.3", "0.3.1"), ids, e.name());
        }
    }

    @Test
    void theErrorSearchFindsEveryKindOfErrorAndNothingElse() {
        for (SearchEngine e : SearchEngine.all()) {
            Map<String, Integer> byName = new TreeMap<>();
            hits(e, "rpctrace-errors").forEach(h -> byName.merge(h.path("_source").path("x_name").asText(), 1, Integer::sum));
            assertEquals(Map.of("mysql.request.error", 2, "http.get.error", 4, "http.post.error", 1, "request.info", 1,
                    "http.get", 1, "log.error", 1), byName, e.name());
        }
    }

    @Test
    void theSlowSearchListsTimedRecordsSlowestFirst() {
        for (SearchEngine e : SearchEngine.all()) {
            List<JsonNode> hits = hits(e, "rpctrace-slow");
            assertEquals(2.0, hits.get(0).path("_source").path("x_duration").asDouble(), e.name());
            double last = Double.MAX_VALUE;
            for (JsonNode h : hits) {
                JsonNode r = h.path("_source");
                assertTrue(!r.path("x_name").asText().startsWith("log.") && !r.path("x_name").asText().startsWith("metric."), r.toString());
                assertTrue(r.path("x_duration").asDouble() <= last, "slowest first");
                last = r.path("x_duration").asDouble();
            }
        }
    }

    @Test
    void errorsByCodeAndHost() {
        for (SearchEngine e : SearchEngine.all()) {
            assertEquals(Map.of("1213", Map.of("db:3306", 2L), "CONNECT_REFUSED", Map.of("10.0.0.9:80", 3L),
                    "EMPTY_REPLY", Map.of("10.0.0.8:80", 1L), "CONNECTION_RESET", Map.of("10.0.0.8:80", 1L),
                    "503", Map.of("", 1L), "502", Map.of("10.0.0.7:80", 1L)),
                    twoLevels(aggregate(e, "rpctrace-errors-by-code-host")), e.name());
        }
    }

    @Test
    void networkFailureClassesPerHost() {
        for (SearchEngine e : SearchEngine.all()) {
            assertEquals(Map.of("10.0.0.9:80", Map.of("CONNECT_REFUSED", 3L),
                    "10.0.0.8:80", Map.of("EMPTY_REPLY", 1L, "CONNECTION_RESET", 1L)),
                    twoLevels(aggregate(e, "rpctrace-network-failures")), e.name());
        }
    }

    @Test
    void durationPercentilesPerModuleOverTime() {
        for (SearchEngine e : SearchEngine.all()) {
            Map<String, JsonNode> byModule = new TreeMap<>();
            for (JsonNode hour : aggregate(e, "rpctrace-duration-percentiles").path("2").path("buckets")) {
                for (JsonNode m : hour.path("3").path("buckets")) {
                    byModule.put(m.path("key").asText(), m.path("1").path("values"));
                }
            }
            assertEquals(Set.of("fast_mod", "slow_mod", "order_api", "order_dao", "pay"), byModule.keySet(), e.name());
            assertEquals(2.0, byModule.get("slow_mod").path("50.0").asDouble(), 1e-9, e.name());
            assertEquals(2.0, byModule.get("slow_mod").path("99.0").asDouble(), 1e-9, e.name());
            double p50 = byModule.get("fast_mod").path("50.0").asDouble();
            double p99 = byModule.get("fast_mod").path("99.0").asDouble();
            assertTrue(p50 >= 0.05 && p50 <= 0.06 && p99 > 0.09 && p99 <= 0.10, e + ": " + byModule.get("fast_mod"));
        }
    }

    @Test
    void topClientIpsFromTheFiveMinuteWindow() {
        for (SearchEngine e : SearchEngine.all()) {
            Map<String, List<Long>> byIp = new LinkedHashMap<>();
            for (JsonNode b : aggregate(e, "rpctrace-top-client-ips").path("5").path("buckets")) {
                byIp.put(b.path("key").asText(), List.of(b.path("1").path("value").asLong(), b.path("2").path("value").asLong(),
                        b.path("3").path("value").asLong(), b.path("4").path("value").asLong()));
            }
            assertEquals(List.of("1.1.1.1", "2.2.2.2"), new ArrayList<>(byIp.keySet()), "most requests first");
            assertEquals(List.of(14L, 1L, 1400L, 2800L), byIp.get("1.1.1.1"), e.name());
            assertEquals(List.of(5L, 2L, 50L, 60L), byIp.get("2.2.2.2"), e.name());
        }
    }

    @Test
    void writerDropsByServiceAndCause() {
        for (SearchEngine e : SearchEngine.all()) {
            JsonNode svc = aggregate(e, "rpctrace-writer-drops").path("2").path("buckets").get(0);
            assertEquals("svc-a", svc.path("key").asText());
            Map<String, Long> byCause = new TreeMap<>();
            svc.path("3").path("buckets").forEach(b -> byCause.put(b.path("key").asText(), b.path("1").path("value").asLong()));
            assertEquals(Map.of("ring_full", 9L, "io", 3L), byCause, e.name());
        }
    }

    static List<JsonNode> hits(SearchEngine e, String searchId) {
        JsonNode r = e.post("/" + INDEX + "/_search", SavedObjects.searchRequest(SAVED.byId.get(searchId)));
        List<JsonNode> out = new ArrayList<>();
        r.path("hits").path("hits").forEach(out::add);
        return out;
    }

    static JsonNode aggregate(SearchEngine e, String visId) {
        return e.post("/" + INDEX + "/_search", SavedObjects.aggregationRequest(SAVED.byId.get(visId))).path("aggregations");
    }

    /** {@code {outer key: {inner key: doc_count}}} of a two-level terms table (aggregations "2" then "3"). */
    static Map<String, Map<String, Long>> twoLevels(JsonNode aggs) {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        for (JsonNode outer : aggs.path("2").path("buckets")) {
            Map<String, Long> inner = new TreeMap<>();
            outer.path("3").path("buckets").forEach(b -> inner.put(b.path("key").asText(), b.path("doc_count").asLong()));
            out.put(outer.path("key").asText(), inner);
        }
        return out;
    }
}
