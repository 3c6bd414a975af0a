package io.rpctrace.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.record.Record;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rolling (hourly and by size) and retention (by age and total size), on a fake clock. */
class RollingAndRetentionTest {
    private static final String ACTIVE = "orders.trace.log";

    @TempDir
    Path dir;
    final TestFiles.FakeClock clock = new TestFiles.FakeClock("2026-11-23T10:30:00Z");

    private WriterSettings settings() {
        WriterSettings s = WriterSettings.defaults(dir, "orders");
        s.clock = clock;
        s.flushIntervalMs = 20;
        s.diagnostics = new TestFiles.Diagnostics().stream;
        return s;
    }

    private static void write(RingFileWriter w, int n, String module) {
        for (int i = 0; i < n; i++) {
            Record r = w.claim();
            r.name("log.info").traceId("4bf92f3577b34da6a3ce929d0e0e4736").rpcId("0.1").timestampMs(1L)
                    .module(module).extra("seq", i);
            w.publish(r);
        }
    }

    @Test
    void theFileIsRolledWhenTheHourChanges() {
        RingFileWriter w = new RingFileWriter(settings());
        write(w, 3, "ten");
        w.flush();
        clock.advanceMinutes(35); // 11:05
        write(w, 2, "eleven");
        w.close();

        assertEquals(Arrays.asList(ACTIVE, ACTIVE + ".2026-11-23-10"), TestFiles.names(dir));
        List<?> ten = TestFiles.named(dir.resolve(ACTIVE + ".2026-11-23-10"), "log.info");
        assertEquals(3, ten.size());
        assertEquals(2, TestFiles.named(dir.resolve(ACTIVE), "log.info").size());
    }

    @Test
    void anIdleFileIsRolledAtTheHourWithoutNewRecords() {
        RingFileWriter w = new RingFileWriter(settings());
        write(w, 3, "ten");
        w.flush();
        clock.advanceMinutes(31); // 11:01, and nothing more is written
        TestFiles.await("the idle file rolled", () -> Files.exists(dir.resolve(ACTIVE + ".2026-11-23-10")));
        w.close();
        assertEquals(3, TestFiles.records(dir.resolve(ACTIVE + ".2026-11-23-10")).size());
    }

    @Test
    void theFileIsRolledBeforeItWouldPassTheSizeCapAndNoLineIsSplit() throws Exception {
        WriterSettings s = settings();
        s.fileMaxBytes = 2000;
        RingFileWriter w = new RingFileWriter(s);
        write(w, 100, "sized"); // about 150 bytes each: 7 or 8 files
        w.close();

        List<String> names = TestFiles.names(dir);
        assertTrue(names.size() >= 7, names.toString());
        assertTrue(names.contains(ACTIVE + ".2026-11-23-10"));
        assertTrue(names.contains(ACTIVE + ".2026-11-23-10.1"));
        int total = 0;
        for (String n : names) {
            Path f = dir.resolve(n);
            assertTrue(Files.size(f) <= 2000, n + " is " + Files.size(f) + " bytes");
            total += TestFiles.named(f, "log.info").size(); // every line whole and valid
        }
        assertEquals(100, total);
    }

    @Test
    void aFileLeftByAnEarlierRunInAnEarlierHourIsRolledAtStart() throws Exception {
        Path old = dir.resolve(ACTIVE);
        Files.write(old, "{\"x_name\":\"log.info\",\"x_trace_id\":\"old\",\"x_timestamp\":1}\n".getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(old, FileTime.fromMillis(clock.millis() - 3_600_000L)); // 09:30
        RingFileWriter w = new RingFileWriter(settings());
        write(w, 1, "new");
        w.close();
        assertEquals(Arrays.asList(ACTIVE, ACTIVE + ".2026-11-23-09"), TestFiles.names(dir));
        assertEquals("old", TestFiles.records(dir.resolve(ACTIVE + ".2026-11-23-09")).get(0).get("x_trace_id"));
    }

    @Test
    void aPartialLastLineLeftByACrashIsCutOffAtStart() throws Exception {
        Path f = dir.resolve(ACTIVE);
        Files.write(f, "{\"x_name\":\"log.info\",\"x_trace_id\":\"whole\",\"x_timestamp\":1}\n{\"x_name\":\"log.in"
                .getBytes(StandardCharsets.UTF_8));
        Files.setLastModifiedTime(f, FileTime.fromMillis(clock.millis()));
        RingFileWriter w = new RingFileWriter(settings());
        write(w, 1, "after");
        w.close();
        assertEquals(2, TestFiles.records(f).size()); // parses every line: the fragment is gone
    }

    @Test
    void rolledFilesOlderThanTheRetentionAreDeletedAndOtherServicesAreLeftAlone() throws Exception {
        long day = 86_400_000L;
        Path old = rolled(ACTIVE + ".2026-11-15-10", clock.millis() - 8 * day, 100);
        Path recent = rolled(ACTIVE + ".2026-11-20-10", clock.millis() - 3 * day, 100);
        Path otherService = rolled("billing.trace.log.2026-11-01-10", clock.millis() - 20 * day, 100);
        Path unrelated = rolled("notes.txt", clock.millis() - 20 * day, 100);
        WriterSettings s = settings();
        s.retentionDays = 7;
        RingFileWriter w = new RingFileWriter(s);
        TestFiles.await("retention at start", () -> !Files.exists(old));
        w.close();
        assertTrue(Files.exists(recent));
        assertTrue(Files.exists(otherService));
        assertTrue(Files.exists(unrelated));
    }

    @Test
    void theOldestRolledFilesGoWhileTheServiceFilesExceedTheDirectoryCap() throws Exception {
        Path[] files = new Path[5];
        for (int i = 0; i < 5; i++) {
            files[i] = rolled(ACTIVE + ".2026-11-23-0" + i, clock.millis() - (10 - i) * 60_000L, 3000);
        }
        WriterSettings s = settings();
        s.dirMaxBytes = 10_000;
        RingFileWriter w = new RingFileWriter(s);
        TestFiles.await("size retention at start", () -> !Files.exists(files[1]));
        w.close();
        assertFalse(Files.exists(files[0]));
        assertTrue(Files.exists(files[2]) && Files.exists(files[3]) && Files.exists(files[4]));
    }

    @Test
    void retentionAlsoRunsAfterEachRoll() throws Exception {
        long day = 86_400_000L;
        RingFileWriter w = new RingFileWriter(settings());
        write(w, 1, "ten");
        w.flush();
        Path stale = rolled(ACTIVE + ".2026-11-10-10", clock.millis() - 10 * day, 100); // appears after start
        clock.advanceMinutes(60);
        write(w, 1, "eleven");
        w.flush();
        TestFiles.await("retention after the roll", () -> !Files.exists(stale));
        w.close();
        assertTrue(Files.exists(dir.resolve(ACTIVE + ".2026-11-23-10")));
    }

    private Path rolled(String name, long modifiedMs, int size) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, new byte[size]);
        Files.setLastModifiedTime(p, FileTime.fromMillis(modifiedMs));
        return p;
    }
}
