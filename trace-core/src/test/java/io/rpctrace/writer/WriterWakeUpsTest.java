package io.rpctrace.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.record.Record;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service with a trickle of records (a light service at a few hundred requests a second)
 * must not have its writer thread wake at a fixed high rate: each wake-up costs CPU and takes a
 * core from the application on a small machine (issue 20). The writer sleeps until its batch is
 * due, and a record still reaches the file within {@code flush.interval.ms}.
 */
class WriterWakeUpsTest {
    private static final long FLUSH_MS = 500;

    @TempDir
    Path dir;

    private RingFileWriter writer() {
        WriterSettings s = WriterSettings.defaults(dir, "light");
        s.flushIntervalMs = FLUSH_MS;
        s.diagnostics = new TestFiles.Diagnostics().stream;
        return new RingFileWriter(s);
    }

    private static void write(RingFileWriter w, long seq) {
        Record r = w.claim();
        r.name("log.info").traceId("4bf92f3577b34da6a3ce929d0e0e4736").rpcId("0", 1)
                .timestampMs(1763800000123L).module("trickle").threadId(7).extra("seq", seq);
        w.publish(r);
    }

    @Test
    void aTrickleOfRecordsWakesTheWriterAboutOncePerFlushIntervalNotEveryFewMilliseconds() throws Exception {
        RingFileWriter w = writer();
        Thread.sleep(50); // the thread has started and gone to sleep
        long parks0 = w.writerParks();
        int n = 240; // 200 records a second for 1.2 s: 2.4 flush intervals
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long due = start + i * TimeUnit.MILLISECONDS.toNanos(5);
            while (System.nanoTime() < due) {
                Thread.sleep(1);
            }
            write(w, i);
        }
        long parks = w.writerParks() - parks0;
        // the writer of a fixed 10 ms sleep (and a yielding spin after each batch) parked about 120 times here
        assertTrue(parks <= 12, "the writer went to sleep " + parks + " times in 1.2 s for 240 records");
        TestFiles.await("every record written without a flush", () -> TestFiles.named(w.path(), "log.info").size() == n);
        w.close();
        assertEquals(n, TestFiles.named(w.path(), "log.info").size());
    }

    @Test
    void aRecordPublishedWhileTheWriterSleepsIsStillWrittenWithinTheFlushInterval() throws Exception {
        RingFileWriter w = writer();
        for (int round = 0; round < 3; round++) {
            Thread.sleep(150 + 100 * round); // the writer sleeps with nothing pending
            long published = System.nanoTime();
            write(w, round);
            int expected = round + 1;
            TestFiles.await("record " + round + " written", () -> TestFiles.named(w.path(), "log.info").size() == expected);
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published);
            assertTrue(waitedMs <= FLUSH_MS + 250, "record " + round + " reached the file after " + waitedMs + " ms");
        }
        w.close();
    }
}
