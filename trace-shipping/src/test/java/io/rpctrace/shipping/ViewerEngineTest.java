package io.rpctrace.shipping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code trace|errors|slow --es URL} against real engines: the same tree, JSON, error and slow
 * lists as from the files the records came from; a trace larger than the engines' 10 000-hit
 * window comes whole; unreachable engine, missing index and unknown trace each say so in one line.
 */
class ViewerEngineTest {
    static final String INDEX = "rpctrace-viewer-test";
    static final String BIG_INDEX = "rpctrace-viewer-big";
    static final String BIG_TRACE = "0123456789abcdef0123456789abcdef";
    static final int BIG = 12_345;
    static SampleRecords sample;
    static Path files;

    @BeforeAll
    static void index() throws Exception {
        sample = SampleRecords.get();
        files = sample.shop.orderDir.getParent();
        List<String> docs = new ArrayList<>();
        // each service's file on a host of its own, as a shipper reads them: a file's lines keep
        // one provenance (identical log lines in one file are distinct events; spread over two
        // hosts by line offset, they would look like a file and its copy and be kept fewer times)
        indexAs(docs, TracedShop.lines(sample.shop.orderDir), "order-host");
        indexAs(docs, TracedShop.lines(sample.shop.stockDir), "stock-host");
        List<String> big = new ArrayList<>();
        for (int i = 0; i < BIG; i++) {
            big.add("{\"x_name\":\"log.info\",\"x_trace_id\":\"" + BIG_TRACE + "\",\"x_rpc_id\":\"0." + (1 + i % 50)
                    + "\",\"x_version\":\"java-big-1.0\",\"x_timestamp\":1763800000,\"x_timestamp_ms\":" + (1763800000000L + i)
                    + ",\"x_module\":\"big\",\"x_msg\":\"line " + i + "\"}");
        }
        for (SearchEngine e : SearchEngine.all()) {
            IndexTemplateTest.runInstall(e.url());
            e.deleteIndices(INDEX);
            e.deleteIndices(BIG_INDEX);
            e.bulkIndex(INDEX, docs);
            e.bulkIndex(BIG_INDEX, big);
        }
    }

    private static void indexAs(List<String> docs, List<String> lines, String host) {
        long offset = 0;
        for (String line : lines) {
            docs.add(Viewer.withProvenance(line, host, "/var/log/app/x.trace.log", offset));
            offset += line.length() + 1;
        }
    }

    @Test
    void traceFromTheEngineIsTheTreeFromTheFiles() throws Exception {
        String id = sample.shop.traceIds.get(7);
        Viewer fromFiles = Viewer.run("trace", id, files.toString(), "--quiet");
        assertEquals(0, fromFiles.status(), fromFiles.toString());
        assertTrue(fromFiles.out().contains("2 services"), fromFiles.out()); // order and stock: two "hosts"
        for (SearchEngine e : SearchEngine.all()) {
            Viewer fromEngine = Viewer.run("trace", id, "--es", e.url(), "--index", INDEX, "--quiet");
            assertEquals(0, fromEngine.status(), e + ": " + fromEngine);
            assertEquals(fromFiles.out(), fromEngine.out(), e.name());
        }
    }

    @Test
    void jsonFromTheEngineIsTheJsonFromTheFilesButForWhereRecordsWereRead() throws Exception {
        String id = sample.shop.failedTraceIds.get(0);
        JsonNode fromFiles = withoutSources(Viewer.run("trace", id, files.toString(), "--json", "--quiet").out());
        for (SearchEngine e : SearchEngine.all()) {
            Viewer v = Viewer.run("trace", id, "--es", e.url(), "--index", INDEX, "--json", "--quiet");
            assertTrue(v.out().contains("\"source\":\"order-host:/var/log/app/x.trace.log\""), v.out()); // <host>:<file> of the record
            assertEquals(fromFiles, withoutSources(v.out()), e.name());
            Path html = Files.createTempFile("trace", ".html");
            Viewer page = Viewer.run("trace", id, "--es", e.url(), "--index", INDEX, "--html", html.toString(), "--quiet");
            assertEquals(0, page.status(), page.toString());
            assertTrue(Files.readString(html).contains(id), "the page names the trace");
        }
    }

    /** The tree without {@code source} (a file name or host:file) and {@code scan} (files vs requests). */
    static JsonNode withoutSources(String json) throws Exception {
        JsonNode tree = new ObjectMapper().readTree(json);
        ((ObjectNode) tree).remove("scan");
        List<JsonNode> stack = new ArrayList<>(List.of(tree));
        while (!stack.isEmpty()) {
            JsonNode n = stack.remove(stack.size() - 1);
            if (n.isObject()) {
                ((ObjectNode) n).remove("source");
            }
            n.forEach(stack::add);
        }
        return tree;
    }

    @Test
    void aTraceLargerThanTheSearchWindowComesWhole() {
        for (SearchEngine e : SearchEngine.all()) {
            Viewer v = Viewer.run("trace", BIG_TRACE, "--es", e.url(), "--index", BIG_INDEX);
            assertEquals(0, v.status(), e + ": " + v.err());
            assertTrue(v.out().startsWith("trace " + BIG_TRACE), v.out().substring(0, 200));
            assertTrue(v.out().lines().findFirst().orElseThrow().contains(BIG + " records"), v.out().substring(0, 200));
            assertTrue(v.err().contains("searched " + BIG_INDEX + " at " + e.url() + ": 3 requests"), v.err());
            assertTrue(v.out().contains("\"line " + (BIG - 1) + "\""), "the last record is drawn");
        }
    }

    @Test
    void errorsAndSlowFromTheEngineListWhatTheFilesList() {
        Viewer errors = Viewer.run("errors", files.toString(), "--quiet");
        Viewer slow = Viewer.run("slow", files.toString(), "--top", "5", "--quiet");
        assertEquals(0, errors.status(), errors.toString());
        assertTrue(errors.out().contains("http.get.error  order: code 500"), errors.out());
        for (SearchEngine e : SearchEngine.all()) {
            Viewer ee = Viewer.run("errors", "--es", e.url(), "--index", INDEX, "--quiet");
            assertEquals(0, ee.status(), e + ": " + ee);
            assertEquals(table(errors.out()), table(ee.out()), e.name());
            Viewer se = Viewer.run("slow", "--es", e.url(), "--index", INDEX, "--top", "5", "--quiet");
            assertEquals(0, se.status(), e + ": " + se);
            assertEquals(table(slow.out()), table(se.out()), e.name());
            assertTrue(se.out().contains("open one: java -jar trace-agent.jar trace <trace id> --es " + e.url()), se.out());
        }
    }

    /** The listing without its last line (how to open one differs: paths or --es). */
    static List<String> table(String out) {
        List<String> lines = new ArrayList<>(out.lines().toList());
        assertFalse(lines.isEmpty());
        lines.remove(lines.size() - 1);
        return lines;
    }

    @Test
    void anUnreachableEngineIsOneLine() throws Exception {
        String url = "http://127.0.0.1:" + SearchEngine.freePort();
        for (String[] args : List.of(new String[] {"trace", BIG_TRACE, "--es", url},
                new String[] {"errors", "--es", url}, new String[] {"slow", "--es", url})) {
            Viewer v = Viewer.run(args);
            assertEquals(3, v.status(), v.toString());
            assertEquals("rpctrace: cannot reach " + url + ": connection refused (is the engine running? is --es right?)\n",
                    v.err());
        }
    }

    @Test
    void aMissingIndexIsOneLine() {
        for (SearchEngine e : SearchEngine.all()) {
            for (String index : List.of("nothing-here-*", "nothing-here")) {
                Viewer v = Viewer.run("trace", BIG_TRACE, "--es", e.url(), "--index", index);
                assertEquals(3, v.status(), e + ": " + v);
                assertEquals("rpctrace: no index " + index + " at " + e.url()
                        + " (has an indexer written records there? --index names another pattern)\n", v.err());
                Viewer errors = Viewer.run("errors", "--es", e.url(), "--index", index);
                assertEquals(3, errors.status(), e + ": " + errors);
            }
        }
    }

    @Test
    void aTraceWithoutRecordsIsOneLine() {
        for (SearchEngine e : SearchEngine.all()) {
            Viewer v = Viewer.run("trace", "ffffffffffffffffffffffffffffffff", "--es", e.url(), "--index", INDEX, "--quiet");
            assertEquals(1, v.status(), e + ": " + v);
            assertEquals("rpctrace: no record of trace ffffffffffffffffffffffffffffffff in " + INDEX + " at " + e.url() + "\n",
                    v.err());
            assertEquals("", v.out());
        }
    }

    @Test
    void pathsAndEsTogetherAreAUsageError() {
        Viewer v = Viewer.run("trace", BIG_TRACE, "/tmp", "--es", "http://127.0.0.1:9");
        assertEquals(2, v.status(), v.toString());
        assertTrue(v.err().startsWith("rpctrace: --es reads the search engine: give no paths with it"), v.err());
    }
}
