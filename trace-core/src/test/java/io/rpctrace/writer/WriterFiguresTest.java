package io.rpctrace.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rpctrace.record.Record;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer's own figures (rpctrace_writer_dropped by cause, bytes, rolls, ring high-water mark), exact. */
class WriterFiguresTest {
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

    private static int write(RingFileWriter w, int n) {
        int kept = 0;
        for (int i = 0; i < n; i++) {
            Record r = w.claim();
            if (r != null) {
                r.name("log.info").traceId("4bf92f3577b34da6a3ce929d0e0e4736").rpcId("0.1").timestampMs(1L)
                        .module("m").extra("seq", i);
                w.publish(r);
                kept++;
            }
        }
        return kept;
    }

    @Test
    void aFullRingCountsRingFullDropsAndAHighWaterMarkOfTheCapacity() {
        WriterSettings s = settings();
        s.ringSize = 64;
        RingFileWriter w = new RingFileWriter(s, false); // nothing drains until start
        assertEquals(64, write(w, 100));
        assertEquals(36, w.droppedRingFull());
        assertEquals(0, w.droppedIo());
        assertEquals(64, w.takeRingHighWater());
        assertEquals(0, w.takeRingHighWater(), "taking it starts a new period");
        w.start();
        w.close();
        assertNull(w.claim());
        assertEquals(1, w.droppedClosed());
        assertEquals(0, w.droppedUnencodable());
        assertEquals(37, w.dropped(), "the causes add up to the total");
        assertEquals(w.dropped(), w.droppedRingFull() + w.droppedIo() + w.droppedClosed() + w.droppedUnencodable());
    }

    @Test
    void bytesWrittenIsTheFileSizeAndTheHighWaterMarkSeesWaitingRecords() throws Exception {
        RingFileWriter w = new RingFileWriter(settings(), false);
        write(w, 40); // waiting in the ring when the writer thread starts
        w.start();
        w.flush();
        assertEquals(40, w.takeRingHighWater());
        write(w, 10);
        w.close();
        assertEquals(Files.size(w.path()), w.bytesWritten());
        assertEquals(50, w.written());
    }

    @Test
    void rollsAndRetentionDeletionsAreCounted() throws Exception {
        Path stale = dir.resolve(ACTIVE + ".2026-11-10-10");
        Files.write(stale, new byte[100]);
        Files.setLastModifiedTime(stale, FileTime.fromMillis(clock.millis() - 10 * 86_400_000L));
        RingFileWriter w = new RingFileWriter(settings());
        write(w, 3);
        w.flush();
        clock.advanceMinutes(35); // 11:05: the next batch rolls the file
        write(w, 2);
        w.flush();
        clock.advanceMinutes(60); // 12:05
        write(w, 2);
        w.close();
        assertEquals(2, w.filesRolled());
        assertEquals(1, w.filesDeleted(), "the 10-day-old file (retention.days=7)");
        long total = 0;
        for (String n : TestFiles.names(dir)) {
            total += Files.size(dir.resolve(n));
        }
        assertEquals(total, w.bytesWritten());
    }
}
