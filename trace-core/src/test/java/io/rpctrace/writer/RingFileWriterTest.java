package io.rpctrace.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.record.Record;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RingFileWriterTest {
    @TempDir
    Path dir;

    private WriterSettings settings() {
        WriterSettings s = WriterSettings.defaults(dir, "orders");
        s.pid = "42";
        s.version = "java-order-1.4";
        s.diagnostics = new TestFiles.Diagnostics().stream;
        return s;
    }

    private static void write(RingFileWriter w, String module, long seq) {
        Record r = w.claim();
        if (r != null) {
            try {
                r.name("log.info").traceId("4bf92f3577b34da6a3ce929d0e0e4736").rpcId("0", 1)
                        .timestampMs(1763800000123L).module(module).threadId(7).extra("seq", seq);
            } finally {
                w.publish(r);
            }
        }
    }

    @Test
    void producersTimesRecordsGiveExactlyThatManyWholeLinesInPerThreadOrder() throws Exception {
        int threads = 4;
        int perThread = 25_000;
        WriterSettings s = settings();
        s.ringSize = 1024; // many laps around the ring
        s.bufferSize = 64 * 1024; // many batch writes
        s.blocking = true;
        RingFileWriter w = new RingFileWriter(s);
        TestFiles.produce(threads, perThread, (producer, i) -> write(w, "producer_" + producer, i));
        w.close();

        List<Map<String, Object>> records = TestFiles.named(w.path(), "log.info");
        assertEquals(threads * perThread, records.size());
        Map<String, Long> nextSeq = new HashMap<>();
        for (Map<String, Object> r : records) {
            String module = (String) r.get("x_module");
            long seq = (Long) ((Map<?, ?>) r.get("x_extra")).get("seq");
            assertEquals(nextSeq.getOrDefault(module, 0L), seq, "order of " + module);
            nextSeq.put(module, seq + 1);
            assertEquals("0.1", r.get("x_rpc_id"));
            assertEquals("42-7", r.get("x_pid"));
            assertEquals("java-order-1.4", r.get("x_version"));
        }
        assertEquals(threads, nextSeq.size());
        assertEquals(0, w.dropped());
        assertEquals(threads * perThread, w.written());
    }

    @Test
    void aFullRingDropsAndCountsExactlyAndSaysSoInTheFile() {
        WriterSettings s = settings();
        s.ringSize = 64;
        RingFileWriter w = new RingFileWriter(s, false); // writer thread not started: nothing drains
        List<Record> claimed = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Record r = w.claim();
            if (r != null) {
                r.name("log.info").traceId("t").module("m").extra("seq", i);
                claimed.add(r);
            }
        }
        assertEquals(64, claimed.size());
        assertEquals(36, w.dropped());
        for (Record r : claimed) {
            w.publish(r);
        }
        w.start();
        w.close();

        assertEquals(64, TestFiles.named(w.path(), "log.info").size());
        List<Map<String, Object>> notices = TestFiles.notices(w.path());
        assertEquals(1, notices.size());
        assertEquals("log.warn", notices.get(0).get("x_name"));
        assertEquals(36L, ((Map<?, ?>) notices.get(0).get("x_extra")).get("dropped"));
        assertEquals(36, w.dropped());
        assertNull(w.claim(), "closed: dropped");
        assertEquals(37, w.dropped());
    }

    @Test
    void flushWritesWhatWasPublishedAndTheSlotsKeepNoReferences() throws Exception {
        WriterSettings s = settings();
        s.flushIntervalMs = 2000;
        s.ringSize = 16;
        RingFileWriter w = new RingFileWriter(s);
        for (int i = 0; i < 10; i++) {
            write(w, "flushed", i);
        }
        w.flush();
        assertEquals(10, TestFiles.named(w.path(), "log.info").size());
        for (int i = 0; i < 10; i++) {
            Record slot = w.ring().slot(i);
            assertNull(slot.name());
            assertNull(slot.module());
            assertEquals(0, slot.extraCount());
        }
        assertNull(w.ring().slot(10), "a slot no record went through is not allocated");
        w.close();
    }

    @Test
    void closeDrainsTheRingAndTheBufferWithoutAFlush() {
        WriterSettings s = settings();
        s.flushIntervalMs = 2000;
        s.bufferSize = 8 << 20;
        s.blocking = true;
        RingFileWriter w = new RingFileWriter(s);
        for (int i = 0; i < 50_000; i++) {
            write(w, "drained", i);
        }
        w.close();
        assertEquals(50_000, TestFiles.named(w.path(), "log.info").size());
        assertEquals(0, w.dropped());
    }

    @Test
    void anOversizedRecordIsTruncatedToValidJson() throws Exception {
        WriterSettings s = settings();
        s.recordMaxBytes = 4096;
        RingFileWriter w = new RingFileWriter(s);
        StringBuilder big = new StringBuilder();
        while (big.length() < 200_000) {
            big.append("line \"quoted\"\n\t\\ é 漢字 😀 ");
        }
        Record r = w.claim();
        r.name("http.post").traceId("t1").rpcId("0.3").response(big.toString()).param(big.toString())
                .action("/orders?" + big).backtrace(big.toString()).code("200");
        w.publish(r);
        w.close();

        byte[] bytes = Files.readAllBytes(w.path());
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        assertEquals(1, lines.length);
        assertTrue(lines[0].getBytes(StandardCharsets.UTF_8).length + 1 <= 4096, "within record.max.bytes");
        Map<String, Object> rec = TestFiles.records(w.path()).get(0);
        assertEquals("http.post", rec.get("x_name"));
        assertEquals("200", rec.get("x_code"));
        assertTrue(((String) rec.get("x_response")).endsWith("...[truncated]"));
        assertTrue(((String) rec.get("x_param")).endsWith("...[truncated]"));
    }

    @Test
    void closingWhileProducersRunWritesOrCountsEveryRecordExactlyOnce() throws Exception {
        WriterSettings s = settings();
        s.ringSize = 256;
        RingFileWriter w = new RingFileWriter(s);
        long attempted = TestFiles.closeWhileProducing(w, 3, 200_000, (producer, i) -> write(w, "racer", i));
        long lines = TestFiles.named(w.path(), "log.info").size();
        assertEquals(attempted, lines + w.dropped(), "written + dropped = attempted");
        assertEquals(lines, w.written() - TestFiles.notices(w.path()).size());
    }

    @Test
    void theSettingsComeFromTheConfigurationKeysAndBadValuesFallBack() {
        Map<String, String> cfg = new HashMap<>();
        cfg.put("log.dir", dir.toString());
        cfg.put("flush.interval.ms", "250");
        cfg.put("buffer.size", "4m");
        cfg.put("ring.size", "1000");
        cfg.put("writer.blocking", "true");
        cfg.put("file.roll.interval", "30m");
        cfg.put("file.max.bytes", "100m");
        cfg.put("retention.days", "3");
        cfg.put("dir.max.bytes", "2g");
        cfg.put("record.max.bytes", "not-a-size");
        WriterSettings s = WriterSettings.from(io.rpctrace.config.Config.of(cfg), "orders", "shop", "v1", "7");
        assertEquals(dir, s.dir);
        assertEquals(250, s.flushIntervalMs);
        assertEquals(4 << 20, s.bufferSize);
        assertEquals(1024, s.ringCapacity());
        assertTrue(s.blocking);
        assertEquals(30 * 60_000L, s.rollIntervalMs);
        assertEquals(100L << 20, s.fileMaxBytes);
        assertEquals(3, s.retentionDays);
        assertEquals(2L << 30, s.dirMaxBytes);
        assertEquals(WriterSettings.DEFAULT_RECORD_MAX_BYTES, s.recordMaxBytes);
        cfg.put("flush.interval.ms", "5000"); // above the 2 s maximum
        assertEquals(WriterSettings.DEFAULT_FLUSH_INTERVAL_MS,
                WriterSettings.from(io.rpctrace.config.Config.of(cfg), "orders", null, null, "7").flushIntervalMs);
    }

    @Test
    void aRecordNotClaimedFromTheRingIsIgnored() {
        RingFileWriter w = new RingFileWriter(settings());
        w.publish(new Record().name("stray"));
        Record r = w.claim();
        assertNotNull(r);
        r.name("log.info").traceId("t");
        w.publish(r);
        w.publish(r); // a second publish of one claim changes nothing
        w.close();
        assertEquals(1, TestFiles.records(w.path()).size());
    }
}
