package io.rpctrace.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.context.RpcId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trees of every shape the ids allow, rebuilt from generated log files. */
class TreeShapesTest {
    static final String T = "0af7651916cd43dd8448eb211c80319c";
    static final long T0 = 1763800000000L;

    @TempDir
    Path dir;

    private static String rec(String id, int offsetMs) {
        return Rec.of("mysql.request", T, id).version("java-a-1.0").at(T0 + offsetMs, 0.001).action("q" + id).code("0").line();
    }

    @Test
    void aChainOf64LevelsIsIndentedByItsDepth() throws Exception {
        List<String> lines = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        String id = "0";
        for (int depth = 2; depth <= RpcId.MAX_SEGMENTS; depth++) {
            id = id + "." + (depth % 3 + 1);
            lines.add(rec(id, depth));
            expected.add((depth - 2) + " " + id + " mysql.request");
        }
        Collections.reverse(lines);
        lines.add(rec(id + ".1", 99)); // 65 segments: not an RPC id, listed apart
        Viewer.write(dir.resolve("deep.trace.log"), lines);

        Viewer v = Viewer.run("trace", T, dir.toString());

        assertEquals(0, v.status, v.err);
        assertEquals(expected, Rows.of(v.out));
        assertTrue(v.out.contains("records without a valid x_rpc_id:"), v.out);
        assertTrue(v.out.contains(" - mysql.request  java-a-1.0  q" + id.substring(0, 60)), v.out);
    }

    @Test
    void aWideFanOutIsOrderedNumerically() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 1000; i++) {
            lines.add(rec("0." + i, i));
        }
        Collections.shuffle(lines, new Random(1));
        Viewer.write(dir.resolve("wide.trace.log"), lines);

        Viewer v = Viewer.run("trace", T, dir.toString());

        List<String> rows = Rows.of(v.out);
        assertEquals(1000, rows.size());
        for (int i = 1; i <= 1000; i++) {
            assertEquals("0 0." + i + " mysql.request", rows.get(i - 1));
        }
    }

    @Test
    void aTraceOf10kRecordsIsComplete() throws Exception {
        List<String> lines = new ArrayList<>();
        TreeSet<String> ids = new TreeSet<>(RpcId.NUMERIC_ORDER);
        // 100 calls, each served by a callee that makes 99 calls of its own
        for (int i = 1; i <= 100; i++) {
            lines.add(Rec.of("http.get", T, "0." + i).version("java-a-1.0").at(T0 + i, 0.05).action("/x").code("200").line());
            ids.add("0." + i);
            for (int k = 1; k <= 99; k++) {
                String id = "0." + i + "." + k;
                lines.add(rec(id, i + k));
                ids.add(id);
            }
        }
        Collections.shuffle(lines, new Random(2));
        // spread over 4 files
        for (int f = 0; f < 4; f++) {
            Viewer.write(dir.resolve("s" + f + ".trace.log"), lines.subList(f * 2500, (f + 1) * 2500));
        }

        Viewer v = Viewer.run("trace", T, dir.toString());

        List<String> rows = Rows.of(v.out);
        assertEquals(10_000, rows.size());
        List<String> order = new ArrayList<>(ids);
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(order.get(i), rows.get(i).split(" ")[1]);
        }
        assertTrue(v.out.startsWith("trace " + T + "  started "), v.out.substring(0, 200));
        assertTrue(v.out.contains("10000 records"), v.out.substring(0, 200));
    }

    @Test
    void missingRecordsAtEveryDepthBecomePlaceholders() throws Exception {
        // only the leaf of a 6-deep chain, and a leaf whose grand-parent alone exists
        Viewer.write(dir.resolve("gaps.trace.log"), java.util.Arrays.asList(
                rec("0.2.1.3.1.4", 5), rec("0.3", 1), rec("0.3.5.2", 3)));

        Viewer v = Viewer.run("trace", T, dir.toString());

        assertEquals(java.util.Arrays.asList(
                "0 0.2 ?", "1 0.2.1 ?", "2 0.2.1.3 ?", "3 0.2.1.3.1 ?", "4 0.2.1.3.1.4 mysql.request",
                "0 0.3 mysql.request", "1 0.3.5 ?", "2 0.3.5.2 mysql.request"), Rows.of(v.out));
        // 0.2.1 and 0.2.1.3.1 are served requests' own ids, 0.2 and 0.2.1.3 calls whose callee's
        // id is there: missing records; 0.3.5 has calls 0.3.5.2 only: a task scope
        assertTrue(v.out.contains("  0.2 ? (record missing)"), v.out);
        assertTrue(v.out.contains("0.2.1 ? (record missing)"), v.out);
        assertTrue(v.out.contains("0.2.1.3 ? (record missing)"), v.out);
        assertTrue(v.out.contains("0.2.1.3.1 ? (record missing)"), v.out);
        assertTrue(v.out.contains("0.3.5 (task scope, no record of its own)"), v.out);
        assertTrue(v.out.contains(", 1 task scope, 4 missing records"), v.out);
    }

    @Test
    void randomTreesWithRandomLossesKeepEveryRecordInPlace() throws Exception {
        Random rnd = new Random(3);
        for (int round = 0; round < 5; round++) {
            List<String> all = new ArrayList<>();
            all.add("0.1");
            for (int i = 0; i < 400; i++) {
                String parent = all.get(rnd.nextInt(all.size()));
                if (RpcId.depth(parent) < 12) {
                    all.add(parent + "." + (1 + rnd.nextInt(12)));
                }
            }
            TreeSet<String> kept = new TreeSet<>(RpcId.NUMERIC_ORDER);
            List<String> lines = new ArrayList<>();
            for (String id : new TreeSet<>(all)) {
                if (rnd.nextInt(10) >= 3) {
                    kept.add(id);
                    lines.add(rec(id, rnd.nextInt(1000)));
                }
            }
            TreeSet<String> expectedIds = new TreeSet<>(RpcId.NUMERIC_ORDER);
            for (String id : kept) {
                for (String p = id; p != null && !p.equals("0"); p = RpcId.parent(p)) {
                    expectedIds.add(p);
                }
            }
            List<String> expected = new ArrayList<>();
            for (String id : expectedIds) {
                expected.add((RpcId.depth(id) - 2) + " " + id + " " + (kept.contains(id) ? "mysql.request" : "?"));
            }
            Collections.shuffle(lines, rnd);
            Path file = dir.resolve("r" + round + "/x.trace.log");
            Viewer.write(file, lines);

            Viewer v = Viewer.run("trace", T, file.toString());

            assertEquals(expected, Rows.of(v.out), "round " + round);
        }
    }

    @Test
    void duplicateRecordsAreShownOnceAndCounted() throws Exception {
        List<String> lines = java.util.Arrays.asList(rec("0.1", 0), rec("0.2", 1), rec("0.2", 1));
        Path a = Viewer.write(dir.resolve("a/x.trace.log"), lines);
        Viewer.write(dir.resolve("copy/x.trace.log"), lines); // the same file gathered twice

        Viewer v = Viewer.run("trace", T, dir.toString(), a.toString());

        assertEquals(java.util.Arrays.asList("0 0.1 mysql.request", "0 0.2 mysql.request"), Rows.of(v.out));
        assertTrue(v.err.contains("4 duplicate records dropped"), v.err); // a is read once, though named twice
    }

    @Test
    void theSameMessageLoggedTwiceInOneMillisecondIsShownTwiceAndItsFileCopyAddsNothing() throws Exception {
        String log = Rec.of("log.info", T, "0.1").version("java-a-1.0").at(T0 + 5, 0).msg("retrying").line();
        List<String> lines = java.util.Arrays.asList(rec("0.1", 0), log, log); // one request logs "retrying" twice
        Path a = Viewer.write(dir.resolve("a/x.trace.log"), lines);
        Viewer.write(dir.resolve("copy/x.trace.log"), lines); // the same file gathered twice

        Viewer v = Viewer.run("trace", T, dir.toString(), a.toString());

        assertEquals(java.util.Arrays.asList("0 0.1 mysql.request", "0 0.1 log.info", "0 0.1 log.info"), Rows.of(v.out));
        assertTrue(v.err.contains("3 duplicate records dropped"), v.err);
    }

    @Test
    void identicalLogLinesSplitByARollAreAllShown() throws Exception {
        String log = Rec.of("log.info", T, "0.1").version("java-a-1.0").at(T0 + 5, 0).msg("retrying").line();
        Viewer.write(dir.resolve("r/x.trace.log.2026-12-06-14.3"), java.util.Arrays.asList(rec("0.1", 0), log, log));
        Viewer.write(dir.resolve("r/x.trace.log"), java.util.Arrays.asList(log)); // the third, after the roll

        Viewer v = Viewer.run("trace", T, dir.resolve("r").toString());

        assertEquals(java.util.Arrays.asList("0 0.1 mysql.request", "0 0.1 log.info", "0 0.1 log.info", "0 0.1 log.info"),
                Rows.of(v.out));
    }
}
