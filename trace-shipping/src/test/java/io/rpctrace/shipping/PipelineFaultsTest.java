package io.rpctrace.shipping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Faults while the application writes, one after the other: the indexer killed (SIGKILL) and
 * started again mid-stream, the broker restarted, the engine unreachable for 20 s, the shipper
 * stopped until its file rolled and started again; bad lines among the records. Afterwards every
 * record is searchable exactly once: the engine holds the same lines as the files, no more, no
 * fewer, and the bad lines are in the dead-letter file.
 */
class PipelineFaultsTest {
    static final List<String> HOSTS = List.of("faults-order", "faults-stock");
    static final String GROUP = "faults-opensearch";
    static Pipeline pipeline;
    static TcpProxy engine;

    @AfterAll
    static void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Test
    void everyRecordIsSearchableExactlyOnceAfterTheFaults() throws Exception {
        pipeline = new Pipeline("faults");
        try {
            faultsThenExactlyOnce();
        } catch (Throwable t) {
            pipeline.keepFiles = true; // the hosts' files, the rsyslogs' offsets and queues: the evidence
            throw t;
        }
    }

    private void faultsThenExactlyOnce() throws Exception {
        SearchEngine os = SearchEngine.openSearch();
        IndexTemplateTest.runInstall(os.url());
        engine = new TcpProxy(os.port());
        Path order = Files.createDirectories(pipeline.dir.resolve("order-host"));
        Path stock = Files.createDirectories(pipeline.dir.resolve("stock-host"));
        Rsyslog orderShipper = pipeline.ship(HOSTS.get(0), order);
        pipeline.ship(HOSTS.get(1), stock);
        Rsyslog indexer = pipeline.index(GROUP, engine.url());

        // the application places orders until the faults are over (and 200 more records were
        // indexed after the last one): the run is as long as the faults take on this machine
        Path stop = pipeline.dir.resolve("stop-ordering");
        CompletableFuture<TracedShop> app = CompletableFuture.supplyAsync(() -> TracedShop.runUntil(order, stock, 25, stop));
        List<String> timeline = new ArrayList<>();
        long start = System.nanoTime();
        try {
            awaitDocuments(os, 200, timeline);

            timeline.add(elapsed(start) + "indexer killed");
            indexer.kill();
            TracedShop.sleep(2_000);
            indexer.start();
            timeline.add(elapsed(start) + "indexer started again");
            awaitDocuments(os, count(os) + 200, timeline);

            pipeline.broker.restart();
            timeline.add(elapsed(start) + "broker restarted");
            awaitDocuments(os, count(os) + 200, timeline);

            engine.cut();
            timeline.add(elapsed(start) + "engine unreachable");
            TracedShop.sleep(20_000);
            engine.restore();
            timeline.add(elapsed(start) + "engine back after 20 s");

            int rolled = TracedShop.files(order).size();
            orderShipper.stop();
            timeline.add(elapsed(start) + "order shipper stopped");
            long until = System.currentTimeMillis() + 60_000;
            while (TracedShop.files(order).size() == rolled && System.currentTimeMillis() < until) {
                TracedShop.sleep(100);
            }
            assertTrue(TracedShop.files(order).size() > rolled, "the order file rolled while its shipper was stopped");
            TracedShop.sleep(1_000);
            orderShipper.start();
            timeline.add(elapsed(start) + "order shipper started after the roll");
            Files.writeString(order.resolve("junk.trace.log"), "{\"x_name\":\"log.info\",\"x_trace\nnot a record\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);

            awaitDocuments(os, count(os) + 200, timeline);
            timeline.add(elapsed(start) + "200 more records indexed");
            assertTrue(!app.isDone(), "the application still wrote after the faults: " + timeline);
        } finally {
            Files.writeString(stop, "");   // on failure too: the application's JVMs end now
        }
        TracedShop shop = app.join();
        List<String> written = new ArrayList<>();
        for (Path dir : List.of(order, stock)) {
            for (String l : TracedShop.lines(dir)) {
                if (l.startsWith("{\"x_name\":\"") && l.endsWith("}")) {
                    written.add(l);
                }
            }
        }
        assertTrue(shop.traceIds.size() >= 200, "orders placed: " + shop.traceIds.size());
        timeline.add(elapsed(start) + "the application done");
        pipeline.awaitCount(os, HOSTS, written.size(), 180);
        timeline.add(elapsed(start) + "every record indexed");
        System.out.println("PipelineFaultsTest timeline: " + timeline);

        // the same lines, each once: the records as indexed, without where they were read
        Map<String, Integer> expected = new TreeMap<>();
        written.forEach(l -> expected.merge(recordLine(SampleRecords.parse(l)), 1, Integer::sum));
        // compared until they agree, for at most 60 s: in one CI run of eight the count matched
        // while the lines written at shutdown were not searchable yet. What is guaranteed is the
        // end state (docs/shipping.md#what-each-part-guarantees): a lost or doubled record still
        // differs at the deadline, and fails the test.
        long until = System.currentTimeMillis() + 60_000;
        while (true) {
            Map<String, Integer> indexed = new TreeMap<>();
            Map<String, List<String>> where = new TreeMap<>();
            List<JsonNode> hits = Pipeline.documents(os, HOSTS);
            for (JsonNode hit : hits) {
                String source = hit.path("_source").toString();
                String line = recordLine(hit.path("_source"));
                indexed.merge(line, 1, Integer::sum);
                where.computeIfAbsent(line, k -> new ArrayList<>()).add(hit.path("_id").asText());
                assertTrue(source.contains("\"host\""), source);
            }
            if (expected.equals(indexed)) {
                break;
            }
            if (System.currentTimeMillis() > until) {
                fail(timeline + "\n" + hits.size() + " documents, " + Pipeline.count(os, HOSTS) + " counted, "
                        + written.size() + " lines written\n" + differences(expected, indexed, where, order, stock));
            }
            TracedShop.sleep(1_000);
        }

        List<String> dead = Files.readAllLines(pipeline.deadLetter(GROUP));
        assertEquals(2, dead.size(), String.join("\n", dead));
    }

    /**
     * The lines written and indexed a different number of times: each with both counts, the ids
     * of its documents (host|file|offset|hash) and the files and byte offsets it was written at.
     */
    static String differences(Map<String, Integer> expected, Map<String, Integer> indexed, Map<String, List<String>> ids,
            Path... dirs) throws java.io.IOException {
        Map<String, List<String>> at = new TreeMap<>();
        for (Path dir : dirs) {
            for (Path f : TracedShop.files(dir)) {
                byte[] bytes = Files.readAllBytes(f);
                int from = 0;
                for (int i = 0; i < bytes.length; i++) {
                    if (bytes[i] == '\n') {
                        String l = new String(bytes, from, i - from, StandardCharsets.UTF_8);
                        if (l.startsWith("{\"x_name\":\"") && l.endsWith("}")) {
                            at.computeIfAbsent(recordLine(SampleRecords.parse(l)), k -> new ArrayList<>())
                                    .add(dir.getFileName() + "/" + f.getFileName() + "@" + from);
                        }
                        from = i + 1;
                    }
                }
            }
        }
        StringBuilder out = new StringBuilder();
        java.util.Set<String> lines = new java.util.TreeSet<>(expected.keySet());
        lines.addAll(indexed.keySet());
        int shown = 0;
        int differing = 0;
        for (String l : lines) {
            int w = expected.getOrDefault(l, 0);
            int n = indexed.getOrDefault(l, 0);
            if (w != n) {
                differing++;
                if (shown++ < 30) {
                    out.append("written ").append(w).append(" at ").append(at.get(l)).append(", indexed ").append(n)
                            .append(" as ").append(ids.get(l)).append(": ")
                            .append(l.length() > 200 ? l.substring(0, 200) + "..." : l).append('\n');
                }
            }
        }
        return differing + " lines differ (" + expected.size() + " written, " + indexed.size() + " indexed, distinct)\n" + out;
    }

    /** A record's x_* fields in order, written by one JSON writer (so a file line and a document compare). */
    static String recordLine(JsonNode source) {
        com.fasterxml.jackson.databind.node.ObjectNode r = SavedObjects.JSON.createObjectNode();
        for (Map.Entry<String, JsonNode> f : source.properties()) {
            if (f.getKey().startsWith("x_")) {
                r.set(f.getKey(), f.getValue());
            }
        }
        return r.toString();
    }

    /** Seconds since {@code start}, for the timeline a failure shows. */
    private static String elapsed(long start) {
        return String.format(java.util.Locale.ROOT, "%.1f s: ", (System.nanoTime() - start) / 1e9);
    }

    private static long count(SearchEngine e) {
        return Pipeline.count(e, HOSTS);
    }

    /** Waits for the pipeline to move on; 90 s covers a rejoin of the group (10 s) on a loaded machine. */
    private static void awaitDocuments(SearchEngine e, long atLeast, List<String> timeline) {
        long deadline = System.currentTimeMillis() + 90_000;
        long n;
        while ((n = count(e)) < atLeast) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(n + " documents, fewer than " + atLeast + " after 90 s; " + timeline + pipeline.said());
            }
            TracedShop.sleep(200);
        }
    }
}
