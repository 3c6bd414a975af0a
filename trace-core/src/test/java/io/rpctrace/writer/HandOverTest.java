package io.rpctrace.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.internal.RecordPool;
import io.rpctrace.record.Record;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pooled records handed to the ring by reference ({@link RingFileWriter#handOver(Record)}): each
 * is written once, whole, before the pool gives it to another span; a full or closed ring drops
 * and counts it and gives it back; in-place writers share the ring unchanged.
 */
class HandOverTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    @TempDir
    Path dir;

    private WriterSettings settings() {
        WriterSettings s = WriterSettings.defaults(dir, "orders");
        s.pid = "42";
        s.diagnostics = new TestFiles.Diagnostics().stream;
        return s;
    }

    /** Every field of the record says who wrote it, so a record reused while it is encoded shows as a line that disagrees with itself. */
    private static Record fill(Record r, String name, int producer, long seq) {
        String id = producer + ":" + seq;
        return r.name(name).traceId(TRACE).rpcId("0." + producer, (int) seq + 1).timestampMs(1763800000123L)
                .module("producer_" + producer).action("action " + id).msg("msg " + id).code(id).threadId(producer)
                .extra("producer", producer).extra("seq", seq).extra("id", id);
    }

    private static void handOver(RingFileWriter w, int producer, long seq) {
        w.handOver(fill(RecordPool.take(), "rocketmq.produce", producer, seq));
    }

    private static void inPlace(RingFileWriter w, int producer, long seq) {
        Record r = w.claim();
        if (r != null) {
            try {
                fill(r, "log.info", producer, seq);
            } finally {
                w.publish(r);
            }
        }
    }

    /** Checks that each line is whole and consistent, and returns its producer:seq id. */
    private static String exact(Map<String, Object> line) {
        Map<?, ?> extra = (Map<?, ?>) line.get("x_extra");
        assertNotNull(extra, line.toString());
        String id = (String) extra.get("id");
        long producer = ((Number) extra.get("producer")).longValue();
        long seq = ((Number) extra.get("seq")).longValue();
        assertEquals(producer + ":" + seq, id, line.toString());
        assertEquals("producer_" + producer, line.get("x_module"), line.toString());
        assertEquals("action " + id, line.get("x_action"), line.toString());
        assertEquals("msg " + id, line.get("x_msg"), line.toString());
        assertEquals(id, line.get("x_code"), line.toString());
        assertEquals("0." + producer + "." + (seq + 1), line.get("x_rpc_id"), line.toString());
        assertEquals(TRACE, line.get("x_trace_id"), line.toString());
        assertEquals(3, extra.size(), line.toString());
        return id;
    }

    @Test
    void producersHandingOverPooledRecordsGetEveryRecordWrittenOnceAndExact() throws Exception {
        int threads = 4;
        int perThread = 40_000;
        WriterSettings s = settings();
        s.ringSize = 512;          // many laps: each slot holds pooled records and its own in turn
        s.bufferSize = 64 * 1024;
        s.blocking = true;
        RingFileWriter w = new RingFileWriter(s);
        TestFiles.produce(threads, perThread, (producer, i) -> {
            if (i % 5 == 4) {
                inPlace(w, producer, i);      // a log line between spans: the slot's own record
            } else {
                handOver(w, producer, i);
            }
        });
        w.close();

        assertEquals(0, w.dropped());
        List<Map<String, Object>> lines = TestFiles.records(w.path());
        Set<String> seen = new HashSet<>();
        int spans = 0;
        for (Map<String, Object> line : lines) {
            String id = exact(line);
            assertTrue(seen.add(id), "written twice: " + id);
            long seq = Long.parseLong(id.substring(id.indexOf(':') + 1));
            assertEquals(seq % 5 == 4 ? "log.info" : "rocketmq.produce", line.get("x_name"), line.toString());
            if (seq % 5 != 4) {
                spans++;
            }
        }
        assertEquals(threads * perThread, seen.size(), "every record once");
        assertEquals(threads * perThread * 4 / 5, spans);
        for (int i = 0; i < s.ringSize; i++) {
            assertNull(w.ring().lent(i), "the ring keeps no reference to a written record");
        }
    }

    @Test
    void aFullRingDropsAndCountsAPooledRecordAndGivesItBackAtOnce() {
        WriterSettings s = settings();
        s.ringSize = 16;
        RingFileWriter w = new RingFileWriter(s, false); // writer thread not started: nothing drains
        emptyThePool();
        List<Record> kept = new ArrayList<>();
        Set<Record> dropped = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 21; i++) {
            Record r = fill(new Record(), "rocketmq.produce", 1, i);
            (i < 16 ? kept : dropped).add(r);
            w.handOver(r);
        }
        assertEquals(5, w.dropped());
        assertEquals(5, w.droppedRingFull());
        for (int i = 0; i < 16; i++) {
            assertSame(kept.get(i), w.ring().lent(i), "held by reference, not copied");
            assertNull(w.ring().slot(i), "no slot record made for a pooled one");
        }
        for (int i = 0; i < 5; i++) {
            Record back = RecordPool.take();
            assertTrue(dropped.remove(back), "a dropped record goes back to the pool");
            assertNull(back.name(), "cleared");
        }

        w.start();
        w.close();
        List<Map<String, Object>> lines = TestFiles.named(w.path(), "rocketmq.produce");
        assertEquals(16, lines.size());
        for (int i = 0; i < 16; i++) {
            assertEquals("1:" + i, exact(lines.get(i)));
        }
        Set<Record> back = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < 16; i++) {
            Record r = RecordPool.take();
            assertNull(r.name(), "cleared");
            back.add(r);
        }
        assertEquals(new HashSet<>(kept).size(), back.size());
        assertTrue(back.containsAll(kept), "the writer gives every written record back to the pool");
        for (int i = 0; i < 16; i++) {
            assertNull(w.ring().lent(i));
        }

        Record late = fill(RecordPool.take(), "rocketmq.produce", 1, 99);
        w.handOver(late);
        assertEquals(6, w.dropped(), "closed: dropped and counted");
        assertEquals(1, w.droppedClosed());
    }

    @Test
    void closingWhileProducersHandOverWritesOrCountsEveryRecordExactlyOnce() throws Exception {
        WriterSettings s = settings();
        s.ringSize = 256;
        RingFileWriter w = new RingFileWriter(s);
        long attempted = TestFiles.closeWhileProducing(w, 3, 200_000, (producer, i) -> {
            if (i % 3 == 2) {
                inPlace(w, producer, i);
            } else {
                handOver(w, producer, i);
            }
        });
        Set<String> seen = new HashSet<>();
        long lines = 0;
        for (Map<String, Object> line : TestFiles.records(w.path())) {
            if (line.get("x_module").toString().startsWith("producer_")) {
                assertTrue(seen.add(exact(line)), line.toString());
                lines++;
            }
        }
        assertEquals(attempted, lines + w.dropped(), "written + dropped = attempted");
        assertEquals(lines, w.written() - TestFiles.notices(w.path()).size());
    }

    /** Takes what the pool holds, so that the next records taken are the ones given back after this. */
    private static void emptyThePool() {
        for (int i = 0; i < 2 * 16384; i++) {
            RecordPool.take();
        }
    }
}
