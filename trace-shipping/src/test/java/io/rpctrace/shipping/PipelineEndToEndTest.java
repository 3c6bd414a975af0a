package io.rpctrace.shipping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Done means, end to end with real parts only: the packaged agent on a two-service application
 * writes records (its files roll several times) -> rsyslog shipper per host -> Kafka (KRaft) ->
 * rsyslog indexer per engine -> OpenSearch 2.19 and Elasticsearch 7.10.2. Every record is there
 * exactly once, with its fixed type, and the viewer draws the same tree from the engine as from
 * the files.
 */
class PipelineEndToEndTest {
    static final List<String> HOSTS = List.of("e2e-order", "e2e-stock");
    static Pipeline pipeline;
    static TracedShop shop;
    /** What the hosts' record files hold, and so what the engines must hold. */
    static List<String> written = new ArrayList<>();
    static Map<String, List<String>> writtenByHost = new HashMap<>();

    @BeforeAll
    static void ship() throws Exception {
        pipeline = new Pipeline("e2e");
        for (SearchEngine e : SearchEngine.both()) {
            IndexTemplateTest.runInstall(e.url());
        }
        Path order = pipeline.dir.resolve("order-host");
        Path stock = pipeline.dir.resolve("stock-host");
        Files.createDirectories(order);
        Files.createDirectories(stock);
        pipeline.ship(HOSTS.get(0), order);
        pipeline.ship(HOSTS.get(1), stock);
        pipeline.index("e2e-opensearch", SearchEngine.openSearch().url());
        pipeline.index("e2e-elasticsearch", SearchEngine.elasticsearch().url());
        shop = TracedShop.run(order, stock, 300);
        // bad lines in a file the shipper follows, then a good record after them
        Files.writeString(order.resolve("junk.trace.log"), "{\"x_name\":\"http.po\nthis is not JSON\n"
                + shop.goodRecordAfterJunk() + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
        for (Path dir : List.of(order, stock)) {
            List<String> lines = new ArrayList<>();
            for (String l : TracedShop.lines(dir)) {
                if (l.startsWith("{\"x_name\":\"") && l.endsWith("}")) {
                    lines.add(l);
                }
            }
            writtenByHost.put(dir == order ? HOSTS.get(0) : HOSTS.get(1), lines);
            written.addAll(lines);
        }
        for (SearchEngine e : SearchEngine.both()) {
            pipeline.awaitCount(e, HOSTS, written.size(), 120);
        }
    }

    @AfterAll
    static void stop() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    @Test
    void everyRecordOnceExactlyPerServiceAndHost() {
        assertTrue(TracedShop.files(shop.orderDir).size() >= 3, "the order service's file rolled: "
                + TracedShop.files(shop.orderDir));
        Map<String, Long> perService = new TreeMap<>();
        written.forEach(l -> perService.merge(SampleRecords.parse(l).path("x_version").asText(), 1L, Long::sum));
        for (SearchEngine e : SearchEngine.both()) {
            JsonNode aggs = e.post("/rpctrace-*/_search", "{\"size\":0,\"query\":" + Pipeline.hostsQuery(HOSTS)
                    + ",\"aggs\":{\"s\":{\"terms\":{\"field\":\"x_version\"}},\"h\":{\"terms\":{\"field\":\"host.name\"}}}}")
                    .path("aggregations");
            Map<String, Long> services = new TreeMap<>();
            aggs.path("s").path("buckets").forEach(b -> services.put(b.path("key").asText(), b.path("doc_count").asLong()));
            assertEquals(perService, services, e.name());
            for (JsonNode b : aggs.path("h").path("buckets")) {
                assertEquals(writtenByHost.get(b.path("key").asText()).size(), b.path("doc_count").asLong(), e + " " + b);
            }
        }
    }

    @Test
    void identicalLinesStayDistinctRecords() {
        Map<String, Integer> copies = new HashMap<>();
        written.forEach(l -> copies.merge(l, 1, Integer::sum));
        long repeated = copies.values().stream().filter(n -> n > 1).count();
        assertTrue(repeated > 0, "the application wrote byte-identical lines (same message, millisecond and RPC id)");
        long placed = written.stream().filter(l -> l.contains("\"x_msg\":\"order placed\"")).count();
        for (SearchEngine e : SearchEngine.both()) {
            long n = e.post("/rpctrace-*/_count", "{\"query\":{\"bool\":{\"filter\":[" + Pipeline.hostsQuery(HOSTS)
                    + ",{\"term\":{\"x_msg\":\"order placed\"}}]}}}").path("count").asLong();
            assertEquals(placed, n, e.name());
        }
    }

    @Test
    void idsAreHostFileOffsetAndRsyslogsHashOfTheLine() {
        Map<String, byte[]> fileBytes = new HashMap<>();
        int checked = 0;
        for (JsonNode hit : Pipeline.documents(SearchEngine.openSearch(), HOSTS)) {
            JsonNode src = hit.path("_source");
            String path = src.path("log").path("file").path("path").asText();
            String family = path.replaceFirst("(\\.trace\\.log).*$", "$1");
            long offset = src.path("log").path("offset").asLong();
            String prefix = src.path("host").path("name").asText() + "|" + family + "|" + offset + "|";
            String id = hit.path("_id").asText();
            assertTrue(id.startsWith(prefix), id + " for " + prefix);
            // the line was read at that offset of one file of the family: the active file then,
            // which may have been rolled (renamed) since
            int matches = 0;
            for (Path f : TracedShop.files(Path.of(family).getParent())) {
                if (!f.toString().startsWith(family)) {
                    continue;
                }
                byte[] file = fileBytes.computeIfAbsent(f.toString(), p -> read(Path.of(p)));
                int end = offset < file.length ? indexOf(file, (int) offset) : -1;
                if (end > 0 && (offset == 0 || file[(int) offset - 1] == '\n')) {
                    byte[] line = java.util.Arrays.copyOfRange(file, (int) offset, end);
                    if (id.equals(prefix + Pipeline.rsyslogHash64(line))) {
                        matches++;
                    }
                }
            }
            assertTrue(matches >= 1, "no line of " + family + "* at " + offset + " hashes to " + id);
            checked++;
        }
        assertEquals(written.size(), checked);
    }

    private static byte[] read(Path p) {
        try {
            return Files.exists(p) ? Files.readAllBytes(p) : new byte[0];
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void fieldTypesAreTheTemplates() {
        TreeSet<String> days = new TreeSet<>();
        written.forEach(l -> days.add(SampleRecords.dailyIndex(SampleRecords.parse(l))));
        for (SearchEngine e : SearchEngine.both()) {
            JsonNode caps = e.get("/" + String.join(",", days) + "/_field_caps?fields=x_*,host.name,log.*").path("fields");
            TreeSet<String> wrong = new TreeSet<>();
            IndexTemplateTest.TYPES.forEach((field, type) -> {
                if (caps.has(field) && (!caps.path(field).has(type) || caps.path(field).size() != 1)) {
                    wrong.add(field + " " + caps.path(field));
                }
            });
            for (String f : List.of("x_duration", "x_code", "x_module", "x_extra.p99_s", "x_extra.count", "log.offset")) {
                assertTrue(caps.has(f), e + ": no " + f);
            }
            assertTrue(wrong.isEmpty(), e + ": " + wrong);
        }
    }

    @Test
    void termsOnModuleAndCodeAndDurationPercentiles() {
        Map<String, Long> modules = new TreeMap<>();
        Map<String, Long> codes = new TreeMap<>();
        List<Double> served = new ArrayList<>();
        for (String l : written) {
            JsonNode r = SampleRecords.parse(l);
            if (r.has("x_module")) {
                modules.merge(r.path("x_module").asText(), 1L, Long::sum);
            }
            if (r.has("x_code")) {
                codes.merge(r.path("x_code").asText(), 1L, Long::sum);
            }
            if (r.path("x_name").asText().equals("request.info") && r.path("x_version").asText().equals("order")) {
                served.add(r.path("x_duration").asDouble());
            }
        }
        served.sort(null);
        double p50 = served.get(served.size() / 2);
        for (SearchEngine e : SearchEngine.both()) {
            JsonNode aggs = e.post("/rpctrace-*/_search", "{\"size\":0,\"query\":" + Pipeline.hostsQuery(HOSTS)
                    + ",\"aggs\":{\"m\":{\"terms\":{\"field\":\"x_module\",\"size\":100}},"
                    + "\"c\":{\"terms\":{\"field\":\"x_code\",\"size\":100}},"
                    + "\"served\":{\"filter\":{\"bool\":{\"filter\":[{\"term\":{\"x_name\":\"request.info\"}},"
                    + "{\"term\":{\"x_version\":\"order\"}}]}},\"aggs\":{\"p\":{\"percentiles\":{\"field\":\"x_duration\","
                    + "\"percents\":[50,99]}}}}}}").path("aggregations");
            assertEquals(modules, buckets(aggs.path("m")), e.name());
            assertEquals(codes, buckets(aggs.path("c")), e.name());
            JsonNode p = aggs.path("served").path("p").path("values");
            assertEquals(served.size(), aggs.path("served").path("doc_count").asInt(), e.name());
            assertEquals(p50, p.path("50.0").asDouble(), p50 * 0.25, e + ": p50 of " + served.size());
            assertTrue(p.path("99.0").asDouble() >= p.path("50.0").asDouble()
                    && p.path("99.0").asDouble() <= served.get(served.size() - 1) + 1e-9, e + ": " + p);
        }
    }

    private static Map<String, Long> buckets(JsonNode terms) {
        Map<String, Long> out = new TreeMap<>();
        terms.path("buckets").forEach(b -> out.put(b.path("key").asText(), b.path("doc_count").asLong()));
        return out;
    }

    @Test
    void traceFromTheEngineIsTheTreeFromTheFilesWithThePackagedJar() throws Exception {
        String id = shop.traceIds.get(shop.traceIds.size() / 2);
        AgentJarViewer files = AgentJarViewer.run("trace", id, shop.orderDir.toString(), shop.stockDir.toString(), "--quiet");
        assertEquals(0, files.status(), files.toString());
        assertTrue(files.out().contains("2 services"), files.out());
        for (SearchEngine e : SearchEngine.both()) {
            AgentJarViewer engine = AgentJarViewer.run("trace", id, "--es", e.url(), "--quiet");
            assertEquals(0, engine.status(), e + ": " + engine);
            assertEquals(files.out(), engine.out(), e.name());
        }
    }

    @Test
    void badLinesGoToTheDeadLetterFileAndTheStreamGoesOn() throws Exception {
        for (String group : List.of("e2e-opensearch", "e2e-elasticsearch")) {
            List<JsonNode> dead = new ArrayList<>();
            for (String l : Files.readAllLines(pipeline.deadLetter(group))) {
                dead.add(SampleRecords.parse(l));
            }
            assertEquals(2, dead.size(), group + ": " + dead);
            // the lines travel in different partitions: in any order
            Map<String, JsonNode> byLine = new TreeMap<>();
            dead.forEach(d -> byLine.put(d.path("line").asText(), d));
            assertEquals(new TreeSet<>(List.of("{\"x_name\":\"http.po", "this is not JSON")), byLine.keySet());
            for (JsonNode d : dead) {
                assertEquals("not JSON", d.path("reason").asText());
                assertTrue(d.path("key").asText().matches("[0-9]+\\|e2e-order\\|.*/junk\\.trace\\.log"), d.toString());
            }
        }
        // the record after the bad lines is indexed: awaitCount counted it
        assertTrue(written.contains(shop.goodRecordAfterJunk()));
    }
}
