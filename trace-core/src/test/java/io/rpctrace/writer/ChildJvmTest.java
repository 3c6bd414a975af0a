package io.rpctrace.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shutdown guarantees, on a real child JVM: SIGTERM loses nothing, SIGKILL at most one interval. */
class ChildJvmTest {
    @TempDir
    Path dir;

    private Process start(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(Arrays.asList(
                Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), ChildWriterMain.class.getName()));
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static void awaitLine(Process p, String expected) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertEquals(expected, line, "child output");
    }

    @Test
    void sigtermWritesEveryRecordBeforeTheJvmExits() throws Exception {
        int n = 100_000; // more than the ring holds; the last ones are in the ring and the buffer
        Process p = start("term", dir.toString(), String.valueOf(n));
        try {
            awaitLine(p, "published");
            p.toHandle().destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "child exited");
        } finally {
            p.destroyForcibly();
        }
        List<Map<String, Object>> recs = new ArrayList<>();
        for (Path f : TestFiles.withRolled(dir, "child.trace.log")) {
            recs.addAll(TestFiles.named(f, "child.rec"));
        }
        assertEquals(n, recs.size());
        for (int i = 0; i < n; i++) {
            assertEquals((long) i, ((Map<?, ?>) recs.get(i).get("x_extra")).get("seq"));
        }
    }

    @Test
    void sigkillLosesAtMostTheLastFlushInterval() throws Exception {
        Path file = dir.resolve("child.trace.log");
        Process p = start("kill", dir.toString());
        long killedAt;
        try {
            awaitLine(p, "started");
            // The 16 MiB buffer takes far longer than this test to fill: only the 200 ms
            // interval puts records on disk.
            TestFiles.await("a first timed flush", () -> file.toFile().length() > 0);
            Thread.sleep(1500);
            // and enough records on disk for the check below, however slow a loaded machine is
            TestFiles.await("1000 records flushed", () -> linesIn(file) > 1010);
            killedAt = System.currentTimeMillis();
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        // the run may cross the hour at which the file rolls: read what was rolled first
        StringBuilder all = new StringBuilder();
        for (Path f : TestFiles.withRolled(dir, "child.trace.log")) {
            all.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
        }
        String text = all.toString();
        // A kill in the middle of the write system call may leave a partial last line (the next
        // start cuts it off); every whole line is valid and none is missing before the end.
        int end = text.lastIndexOf('\n') + 1;
        long expected = 0;
        long lastTs = 0;
        for (String line : text.substring(0, end).split("\n")) {
            Map<String, Object> r = CollectingWriter.parse(line);
            if (!"child.rec".equals(r.get("x_name"))) {
                continue;
            }
            assertEquals(expected++, ((Map<?, ?>) r.get("x_extra")).get("seq"));
            lastTs = (Long) r.get("x_timestamp_ms");
        }
        assertTrue(expected > 1000, "records written before the kill: " + expected);
        long lostMs = killedAt - lastTs;
        // 200 ms interval; the margin absorbs scheduling on a loaded machine. Without timed
        // flushes the loss would be the whole run (> 1.5 s).
        assertTrue(lostMs < 200 + 800, "lost the last " + lostMs + " ms");
    }

    /** Whole lines in {@code file} now (0 when it cannot be read). */
    private static long linesIn(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            long n = 0;
            for (byte x : b) {
                if (x == '\n') {
                    n++;
                }
            }
            return n;
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
