package io.rpctrace.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many traces interleaved across hosts, services and rotations: live files, rolled files,
 * gzip-compressed rolls (one still being written), and stdin.
 */
class ManyFilesTest {
    static final long T0 = 1763800000000L;

    @TempDir
    Path dir;

    /** 200 traces, each with a request.info at 0.1 on host A and 5 calls served on B. */
    private static List<String> traceIds() {
        List<String> ids = new ArrayList<>();
        Random rnd = new Random(11);
        for (int i = 0; i < 200; i++) {
            ids.add(String.format("%016x%016x", rnd.nextLong(), rnd.nextLong()));
        }
        return ids;
    }

    @Test
    void findsEveryRecordOfATraceAcrossRotationsAndHosts() throws Exception {
        List<String> ids = traceIds();
        List<String> a = new ArrayList<>();
        List<String> b = new ArrayList<>();
        for (int round = 0; round < 5; round++) {
            for (int t = 0; t < ids.size(); t++) {
                String id = ids.get(t);
                long ts = T0 + t * 10L + round;
                if (round == 0) {
                    a.add(Rec.of("request.info", id, "0.1").version("java-a-1.0").at(ts, 0.2).action("/a").code("200").line());
                }
                a.add(Rec.of("http.get", id, "0." + (round + 2)).version("java-a-1.0").at(ts + 1, 0.03).action("/b").code("200").line());
                b.add(Rec.of("request.info", id, "0." + (round + 2) + ".1").version("java-b-1.0").at(ts + 2, 0.02).action("/b").code("200").line());
            }
        }
        // host a: rolled gz, rolled plain, live; host b: two gz rolls (the last cut short) and live
        Viewer.writeGz(dir.resolve("hostA/a.trace.log.2026-11-23-09.gz"), a.subList(0, 300));
        Viewer.write(dir.resolve("hostA/a.trace.log.2026-11-23-10"), a.subList(300, 800));
        Viewer.write(dir.resolve("hostA/a.trace.log"), a.subList(800, a.size()));
        Viewer.writeGz(dir.resolve("hostB/b.trace.log.1.gz"), b.subList(0, 400));
        Path cut = dir.resolve("hostB/b.trace.log.2.gz");
        Viewer.writeGz(cut, b.subList(400, 700));
        Viewer.write(dir.resolve("hostB/b.trace.log"), b.subList(700, b.size()));
        Viewer.write(dir.resolve("hostB/notes.txt"), Arrays.asList("ignored: not a log file name " + ids.get(0)));
        // a symlink loop is skipped, the rest is still read
        Files.createSymbolicLink(dir.resolve("hostB/loop"), dir.resolve("hostB"));

        for (String id : Arrays.asList(ids.get(0), ids.get(77), ids.get(199))) {
            Viewer v = Viewer.run("trace", id, dir.toString());
            assertEquals(0, v.status, v.err);
            assertEquals(Arrays.asList(
                    "0 0.1 request.info",
                    "0 0.2 http.get", "1 0.2.1 request.info",
                    "0 0.3 http.get", "1 0.3.1 request.info",
                    "0 0.4 http.get", "1 0.4.1 request.info",
                    "0 0.5 http.get", "1 0.5.1 request.info",
                    "0 0.6 http.get", "1 0.6.1 request.info"), Rows.of(v.out), id);
            assertTrue(v.err.contains("scanned 6 files"), v.err);
            assertTrue(v.err.contains("loop (FileSystemLoopException); skipped"), v.err);
            assertTrue(v.out.contains("-> java-b-1.0 0.2.1, network 10.0ms"), v.out);
        }

        // a roll still being compressed: what is there is read, the end is reported
        byte[] whole = Files.readAllBytes(cut);
        Files.write(cut, Arrays.copyOf(whole, whole.length / 2));
        Viewer v = Viewer.run("trace", ids.get(0), dir.toString());
        assertEquals(0, v.status, v.err);
        assertTrue(v.err.contains("ends in the middle of its gzip data"), v.err);
        assertTrue(v.err.contains("2 files unreadable or truncated"), v.err); // the loop and the cut gzip
    }

    @Test
    void readsMergedStreamsFromStdinAlongsideFiles() throws Exception {
        String id = traceIds().get(5);
        Path local = Viewer.write(dir.resolve("a.trace.log"), Arrays.asList(
                Rec.of("request.info", id, "0.1").version("java-a-1.0").at(T0, 0.1).line(),
                Rec.of("http.post", id, "0.2").version("java-a-1.0").at(T0 + 1, 0.05).line()));
        // what `ssh hostB cat ...; ssh hostC zcat ...` would pipe in: plain lines
        String remote = Rec.of("request.info", id, "0.2.1").version("java-b-1.0").at(T0 + 2, 0.04).line() + "\n"
                + Rec.of("redis.request", traceIds().get(6), "0.2").version("java-b-1.0").at(T0 + 2, 0.04).line() + "\n"
                + Rec.of("redis.request", id, "0.2.2").version("java-b-1.0").at(T0 + 3, 0.001).line() + "\n";

        Viewer v = Viewer.runWithStdin(remote.getBytes(StandardCharsets.UTF_8), "trace", id, local.toString(), "-");

        assertEquals(Arrays.asList("0 0.1 request.info", "0 0.2 http.post", "1 0.2.1 request.info",
                "1 0.2.2 redis.request"), Rows.of(v.out));

        // a gzip stream on stdin works too
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(gz)) {
            o.write(remote.getBytes(StandardCharsets.UTF_8));
        }
        Viewer z = Viewer.runWithStdin(gz.toByteArray(), "trace", id, "-");
        assertEquals(Arrays.asList("0 0.2 ?", "1 0.2.1 request.info", "1 0.2.2 redis.request"), Rows.of(z.out));
    }

    @Test
    void withoutPathsReadsTheConfiguredLogDir() throws Exception {
        String id = traceIds().get(9);
        Viewer.write(dir.resolve("logs/svc.trace.log"),
                Arrays.asList(Rec.of("request.info", id, "0.1").version("java-a-1.0").at(T0, 0.1).line()));
        String before = System.getProperty("rpctrace.log.dir");
        System.setProperty("rpctrace.log.dir", dir.resolve("logs").toString());
        try {
            Viewer v = Viewer.run("trace", id);
            assertEquals(Arrays.asList("0 0.1 request.info"), Rows.of(v.out));
        } finally {
            if (before == null) {
                System.clearProperty("rpctrace.log.dir");
            } else {
                System.setProperty("rpctrace.log.dir", before);
            }
        }
    }
}
