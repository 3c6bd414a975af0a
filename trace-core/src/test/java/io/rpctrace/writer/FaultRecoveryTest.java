package io.rpctrace.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rpctrace.record.Record;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults (docs/writer.md: the application keeps running, records are kept while the ring has room,
 * the rest dropped and counted, recovery by itself, said once on stderr and in a record).
 * We run as root in CI, so "unwritable" is made by putting a regular file where the directory
 * should be, and "disk full" by /dev/full or a tiny tmpfs.
 */
class FaultRecoveryTest {
    private static final String CANNOT = "rpctrace: cannot write";
    private static final String AGAIN = " again after ";

    @TempDir
    Path tmp;
    final TestFiles.Diagnostics stderr = new TestFiles.Diagnostics();

    private WriterSettings settings(Path dir) {
        WriterSettings s = WriterSettings.defaults(dir, "orders");
        s.flushIntervalMs = 20;
        s.diagnostics = stderr.stream;
        return s;
    }

    private static int write(RingFileWriter w, int n, String module) {
        int kept = 0;
        for (int i = 0; i < n; i++) {
            Record r = w.claim();
            if (r != null) {
                r.name("log.info").traceId("4bf92f3577b34da6a3ce929d0e0e4736").rpcId("0.1").module(module)
                        .extra("seq", i).response("0123456789012345678901234567890123456789");
                w.publish(r);
                kept++;
            }
        }
        return kept;
    }

    private static long count(Path file, String module) {
        return TestFiles.named(file, "log.info").stream().filter(r -> module.equals(r.get("x_module"))).count();
    }

    @Test
    void aMissingLogDirectoryIsCreated() {
        RingFileWriter w = new RingFileWriter(settings(tmp.resolve("a/b/c")));
        write(w, 3, "created");
        w.close();
        assertEquals(3, count(tmp.resolve("a/b/c/orders.trace.log"), "created"));
        assertEquals("", stderr.text());
    }

    @Test
    void aLogDirThatCannotBeCreatedAtStartRecoversWhenTheObstacleGoes() throws Exception {
        Path dir = tmp.resolve("logs");
        Files.write(dir, new byte[0]); // a file where the directory should be
        RingFileWriter w = new RingFileWriter(settings(dir));
        write(w, 10, "waiting"); // kept in the ring: it has room
        TestFiles.await("the fault said", () -> stderr.count(CANNOT) == 1);
        Files.delete(dir);
        TestFiles.await("recovery", () -> w.written() >= 10);
        w.close();

        Path file = dir.resolve("orders.trace.log");
        assertEquals(10, count(file, "waiting"));
        assertEquals(0, w.dropped());
        assertEquals(1, stderr.count(CANNOT));
        assertEquals(1, stderr.count(AGAIN));
        List<Map<String, Object>> notices = TestFiles.notices(file);
        assertEquals(1, notices.size());
        assertTrue(((String) notices.get(0).get("x_msg")).contains(AGAIN));
    }

    @Test
    void aDeletedFileIsStartedAgain() throws Exception {
        RingFileWriter w = new RingFileWriter(settings(tmp));
        write(w, 5, "before");
        w.flush();
        Files.delete(w.path());
        write(w, 5, "after");
        w.close();
        assertEquals(5, count(w.path(), "after"));
        assertEquals(0, w.dropped());
    }

    @Test
    void aDirectoryMadeUnwritableWhileRunningKeepsWhatFitsDropsTheRestAndRecovers() throws Exception {
        Path dir = tmp.resolve("logs");
        WriterSettings s = settings(dir);
        s.ringSize = 64;
        s.bufferSize = 4096; // small batches: the writer finds out quickly
        RingFileWriter w = new RingFileWriter(s);
        write(w, 5, "before");
        w.flush();
        Files.delete(w.path());
        Files.delete(dir);
        Files.write(dir, new byte[0]); // the directory is gone and cannot be made again
        int kept = write(w, 1000, "during"); // fills the buffer and the ring, then drops
        TestFiles.await("the fault said", () -> stderr.count(CANNOT) == 1);
        assertTrue(kept < 1000, "the ring filled");
        Files.delete(dir);
        TestFiles.await("recovery", () -> stderr.count(AGAIN) == 1);
        write(w, 5, "after");
        w.close();

        Path file = dir.resolve("orders.trace.log");
        long during = count(file, "during");
        assertEquals(kept, during, "everything the ring accepted was written");
        assertEquals(1000 - kept, w.dropped(), "everything else was counted");
        assertEquals(w.dropped(), w.droppedRingFull() + w.droppedIo(), "each drop has one cause");
        assertEquals(5, count(file, "after"));
        long reported = 0; // drops before the fault was noticed get a notice of their own
        for (Map<String, Object> n : TestFiles.notices(file)) {
            reported += (Long) ((Map<?, ?>) n.get("x_extra")).get("dropped");
        }
        assertEquals(w.dropped(), reported, "every drop reported in the file");
        assertEquals(1, stderr.count(CANNOT));
    }

    @Test
    void aFullDiskKeepsWhatFitsAndRecovers() throws Exception {
        Path devFull = Paths.get("/dev/full");
        assumeTrue(Files.exists(devFull), "needs /dev/full (Linux)");
        RingFileWriter w;
        Path file = tmp.resolve("orders.trace.log");
        Files.createSymbolicLink(file, devFull); // every write fails with ENOSPC
        w = new RingFileWriter(settings(tmp));
        write(w, 20, "full");
        TestFiles.await("the fault said", () -> stderr.count(CANNOT) == 1);
        assertTrue(stderr.text().contains("No space left on device"), stderr.text());
        Files.delete(file); // space again
        TestFiles.await("recovery", () -> w.written() >= 20);
        w.close();
        assertEquals(20, count(file, "full"));
        assertEquals(0, w.dropped());
        assertEquals(1, stderr.count(AGAIN));
    }

    @Test
    void aFullTmpfsKeepsWhatFitsAndRecoversWithNoSplitLine() throws Exception {
        Path mnt = tmp.resolve("mnt");
        Files.createDirectories(mnt);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt.toString()),
                "needs root to mount a tmpfs");
        try {
            Path filler = mnt.resolve("filler");
            Files.write(filler, new byte[(1024 - 48) * 1024]); // 48 KiB left
            WriterSettings s = settings(mnt);
            s.ringSize = 1024;
            s.bufferSize = 16 * 1024;
            RingFileWriter w = new RingFileWriter(s);
            int kept = write(w, 2000, "tmpfs"); // about 450 KB: more than the free space, less than the disk
            TestFiles.await("the fault said", () -> stderr.count(CANNOT) == 1);
            Files.delete(filler);
            TestFiles.await("recovery", () -> stderr.count(AGAIN) == 1);
            w.close();
            Path file = mnt.resolve("orders.trace.log");
            assertEquals(kept, count(file, "tmpfs")); // parses every line: none split by ENOSPC
            assertEquals(2000 - kept, w.dropped());
        } finally {
            run("umount", mnt.toString());
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    }
}
