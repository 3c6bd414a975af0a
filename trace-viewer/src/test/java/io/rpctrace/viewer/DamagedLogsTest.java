package io.rpctrace.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lines that are not records are skipped and counted; the viewer never fails on them. */
class DamagedLogsTest {
    static final String T = "5f1d0c1e2b3a49788695a4b3c2d1e0f9";
    static final long T0 = 1763800000000L;

    @TempDir
    Path dir;

    private static String rec(String name, String id) {
        return Rec.of(name, T, id).version("java-a-1.0").at(T0, 0.002).action("x").line();
    }

    @Test
    void garbageAndHalfLinesAreSkippedAndCounted() throws Exception {
        String good = rec("request.info", "0.1");
        String call = rec("mysql.request", "0.2");
        String cut = call.substring(0, call.length() / 2);                   // writer killed mid-line
        List<String> lines = Arrays.asList(
                "not json at all \"" + T + "\"",                                     // 1
                "{\"x_name\":\"log.info\",\"x_trace_id\":\"" + T + "\"",           // 2: no closing brace
                "[\"" + T + "\"]",                                                 // 3: not an object
                "{\"x_trace_id\":\"" + T + "\",\"x_rpc_id\":\"0.9\"}",            // 4: no x_name
                "{\"x_name\":\"a\",\"x_trace_id\":\"" + T + "\"}{\"x\":1}",       // 5: trailing garbage
                good,
                cut + rec("log.info", "0.1"),                                       // 6: fragment + whole record: recovered
                "",
                "   ",
                cut);                                                               // 7: the last line, unterminated
        Path f = dir.resolve("svc.trace.log");
        try (OutputStream o = Files.newOutputStream(f)) {
            for (int i = 0; i < lines.size(); i++) {
                o.write(lines.get(i).getBytes(StandardCharsets.UTF_8));
                if (i < lines.size() - 1) {
                    o.write('\n');
                }
            }
        }

        Viewer v = Viewer.run("trace", T, dir.toString());

        assertEquals(0, v.status, v.err);
        assertEquals(Arrays.asList("0 0.1 request.info", "0 0.1 log.info"), Rows.of(v.out));
        assertTrue(v.err.contains("7 malformed lines skipped"), v.err);
    }

    @Test
    void binaryNoiseAroundRecordsNeverBreaksTheScan() throws Exception {
        Random rnd = new Random(9);
        byte[] noise = new byte[3 << 20];
        rnd.nextBytes(noise);
        byte[] id = ("\"" + T + "\"").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 300; i++) { // plant the id inside the noise too
            System.arraycopy(id, 0, noise, rnd.nextInt(noise.length - id.length), id.length);
        }
        Path f = dir.resolve("noisy.trace.log");
        try (OutputStream o = Files.newOutputStream(f)) {
            o.write(noise, 0, noise.length / 2);
            o.write(("\n" + rec("request.info", "0.1") + "\n").getBytes(StandardCharsets.UTF_8));
            o.write(noise, noise.length / 2, noise.length / 2);
            o.write(("\n" + rec("mysql.request", "0.2") + "\n").getBytes(StandardCharsets.UTF_8));
        }

        Viewer v = Viewer.run("trace", T, f.toString());

        assertEquals(0, v.status, v.err);
        assertEquals(Arrays.asList("0 0.1 request.info", "0 0.2 mysql.request"), Rows.of(v.out));
        assertTrue(v.err.contains("malformed lines skipped"), v.err);
    }

    @Test
    void aTraceIdInsideAnotherRecordsFieldsIsNotThatTrace() throws Exception {
        String other = Rec.of("log.info", "ffff0000ffff0000ffff0000ffff0000", "0.1").version("java-a-1.0").at(T0, -1)
                .msg("retry of " + T).put("x_extra", java.util.Collections.singletonMap("x_trace_id", T)).line();
        Viewer.write(dir.resolve("a.trace.log"), Arrays.asList(other, rec("request.info", "0.1")));

        Viewer v = Viewer.run("trace", T, dir.toString());

        assertEquals(Arrays.asList("0 0.1 request.info"), Rows.of(v.out));
        assertTrue(!v.err.contains("malformed"), v.err);
    }

    @Test
    void usageErrorsAndMissingTraces() throws Exception {
        Viewer.write(dir.resolve("a.trace.log"), Arrays.asList(rec("request.info", "0.1")));
        assertEquals(ViewerMain.USAGE, Viewer.run("trace").status);
        assertEquals(ViewerMain.USAGE, Viewer.run("trace", "not a trace id!", dir.toString()).status);
        assertEquals(ViewerMain.USAGE, Viewer.run("trace", T, "--bogus").status);
        assertEquals(ViewerMain.USAGE, Viewer.run("frobnicate").status);
        assertEquals(ViewerMain.OK, Viewer.run("help").status);
        Viewer none = Viewer.run("trace", "0000000000000000000000000000beef", dir.toString(), dir.resolve("nope").toString());
        assertEquals(ViewerMain.NOT_FOUND, none.status);
        assertTrue(none.err.contains("does not exist"), none.err);
        assertTrue(none.err.contains("no record of trace 0000000000000000000000000000beef"), none.err);
    }
}
