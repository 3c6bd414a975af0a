package io.rpctrace.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code errors} and {@code slow}: which trace ids are worth opening. */
class ErrorsAndSlowTest {
    @TempDir
    Path dir;

    private static String id(int i) {
        return String.format("%032x", 0xabc000L + i);
    }

    @Test
    void errorsListsTracesWithErrorRecordsNewestFirst() throws Exception {
        long now = System.currentTimeMillis();
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            lines.add(Rec.of("request.info", id(i), "0.1").version("java-a-1.0").at(now - 1000 * i, 0.01).code("200").line());
        }
        lines.add(Rec.of("mysql.request.error", id(3), "0.2").version("java-a-1.0").at(now - 3000, 0.01).code("1213").msg("Deadlock").line());
        lines.add(Rec.of("log.error", id(3), "0.2").version("java-a-1.0").at(now - 2900, -1).msg("giving up").line());
        lines.add(Rec.of("request.info", id(7), "0.1").version("java-b-1.0").at(now - 7000, 0.01).code("503").line());
        lines.add(Rec.of("log.exception", id(40), "0.1").version("java-a-1.0").at(now - 7_200_000, -1).msg("NPE").line());
        lines.add(Rec.of("http.get", id(8), "0.2").version("java-a-1.0").at(now - 8000, 0.01).code("404").line()); // not an error
        lines.add("garbage line");
        Viewer.write(dir.resolve("a.trace.log"), lines.subList(0, 30));
        Viewer.writeGz(dir.resolve("a.trace.log.1.gz"), lines.subList(30, lines.size()));

        Viewer all = Viewer.run("errors", dir.toString());
        assertEquals(0, all.status, all.err);
        String[] out = all.out.split("\n");
        assertTrue(out[0].startsWith("traces with errors, newest first (3 of 3)"), all.out);
        assertTrue(out[2].contains("     2  " + id(3) + "  0.2 mysql.request.error  java-a-1.0: Deadlock"), all.out);
        assertTrue(out[3].contains("     1  " + id(7) + "  0.1 request.info  java-b-1.0: code 503"), all.out);
        assertTrue(out[4].contains("     1  " + id(40) + "  0.1 log.exception  java-a-1.0: NPE"), all.out);
        assertFalse(all.out.contains(id(8)));

        Viewer recent = Viewer.run("errors", dir.toString(), "--since", "1h", "--top", "1");
        assertTrue(recent.out.startsWith("traces with errors in the last 1h, newest first (1 of 2)"), recent.out);
        assertTrue(recent.out.contains(id(3)));
        assertFalse(recent.out.contains(id(40)));
        assertEquals(ViewerMain.USAGE, Viewer.run("errors", dir.toString(), "--since", "soon").status);
    }

    @Test
    void errorsInTheSameMillisecondTakeTheSmallerIdAsTheFirst() throws Exception {
        // a failed call and its callee's failed request often share a millisecond; the search
        // engine's query breaks the tie the same way (EngineQueries.errors), files in any order
        long at = System.currentTimeMillis() - 1000;
        List<String> lines = Arrays.asList(
                Rec.of("request.info.error", id(1), "0.1.1").version("java-b-1.0").at(at, 0.01).code("500").line(),
                Rec.of("log.error", id(1), "0.1.1.1").version("java-b-1.0").at(at, -1).msg("boom").line(),
                Rec.of("http.get.error", id(1), "0.1").version("java-a-1.0").at(at, 0.01).code("500").line());
        for (int order = 0; order < 2; order++) {
            List<String> shuffled = new ArrayList<>(lines);
            if (order == 1) {
                java.util.Collections.reverse(shuffled);
            }
            Viewer.write(dir.resolve("t.trace.log"), shuffled);
            Viewer v = Viewer.run("errors", dir.toString());
            assertEquals(0, v.status, v.err);
            assertTrue(v.out.contains("     3  " + id(1) + "  0.1 http.get.error  java-a-1.0: code 500"), v.out);
        }
    }

    @Test
    void slowListsTheSlowestServedRequests() throws Exception {
        long now = System.currentTimeMillis();
        List<String> lines = new ArrayList<>();
        for (int i = 1; i <= 500; i++) {
            lines.add(Rec.of("request.info", id(i), "0.1").version("java-a-1.0").at(now - i * 10L, i / 1000.0).action("/p/" + i).code("200").line());
            lines.add(Rec.of("mysql.request", id(i), "0.2").version("java-a-1.0").at(now - i * 10L, 9.0).line()); // not served
        }
        lines.add(Rec.of("request.info.error", id(999), "0.1").version("java-a-1.0").at(now - 7_200_000, 2.5).action("/old").code("500").line());
        for (int f = 0; f < 3; f++) {
            Viewer.write(dir.resolve("s" + f + ".trace.log"), lines.subList(f * lines.size() / 3, (f + 1) * lines.size() / 3));
        }

        Viewer v = Viewer.run("slow", dir.toString(), "--top", "3");
        assertEquals(0, v.status, v.err);
        String[] out = v.out.split("\n");
        assertEquals("slowest request.info (3):", out[0]);
        assertTrue(out[2].contains("2.500s") && out[2].contains(id(999)) && out[2].contains("ERROR"), v.out);
        assertTrue(out[3].contains("500.0ms") && out[3].contains(id(500)) && out[3].contains("/p/500  200"), v.out);
        assertTrue(out[4].contains("499.0ms") && out[4].contains(id(499)), v.out);

        Viewer recent = Viewer.run("slow", dir.toString(), "--since", "1h", "--top", "2");
        assertEquals(Arrays.asList(id(500), id(499)), Arrays.asList(
                recent.out.split("\n")[2].split(" +")[5], recent.out.split("\n")[3].split(" +")[5]));
    }
}
