package io.rpctrace.internal;

import io.rpctrace.record.Record;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Cleared {@link Record}s for the spans that instrumentation starts, handed back when the span
 * has been written: a bounded multi-producer, multi-consumer queue (Dmitry Vyukov's bounded
 * queue), so a record taken on one thread can come back from another (a Kafka send ends on the
 * producer's I/O thread).
 *
 * <pre>{@code
 * Record r = RecordPool.take();     // a cleared record, or a new one when the pool is empty
 * ... fill it ...
 * writer.handOver(r);               // the writer gives it back (RecordPool.give) once encoded
 * RecordPool.give(r);               // or give it back yourself: cleared here; dropped when full
 * }</pre>
 *
 * <p>Design note: neither side waits. A taker that finds the pool empty (or a slot whose giver
 * has not finished storing) makes a new record; a giver that finds it full leaves its record to
 * the garbage collector. The pool holds at most {@value #CAPACITY} records, and a record whose
 * {@code x_extra} arrays grew past {@value #MAX_POOLED_EXTRAS} entries is not kept, so what it
 * retains is bounded (about 180 bytes a record, 312 with {@code x_extra}).
 *
 * <p>Design note: the ring writer keeps a pooled record by reference until its thread has encoded
 * it ({@code RingFileWriter.handOver}), so the records out of the pool are the spans open plus
 * the records waiting in the ring: up to {@code ring.size} (16 384 by default) when the writer
 * falls behind. The pool holds as many, so that it can take them all back and a span never has
 * to make a record in steady state, even with the ring full (with 256, a writer thread that lagged
 * made every span past the 256th allocate one, and the writer's returns overflow as garbage). A
 * record is made only while the pool is empty, so the records alive stay below the ring's size
 * plus the spans open (the slots' own records are made only by in-place writers now); the pool's
 * arrays are 192 KB.
 */
public final class RecordPool {
    static final int CAPACITY = 16384;
    static final int MAX_POOLED_EXTRAS = 8;
    private static final int MASK = CAPACITY - 1;
    // the two cursors sit 16 longs apart so that takers and givers do not share a cache line
    private static final int TAKE = 0;
    private static final int GIVE = 16;

    private static final Record[] ITEMS = new Record[CAPACITY];
    private static final AtomicLongArray SEQUENCES = new AtomicLongArray(CAPACITY);
    private static final AtomicLongArray CURSORS = new AtomicLongArray(GIVE + 1);

    static {
        for (int i = 0; i < CAPACITY; i++) {
            SEQUENCES.set(i, i);
        }
    }

    private RecordPool() {
    }

    /** A cleared record: one given back earlier, or a new one. Never null; never waits. */
    public static Record take() {
        long pos = CURSORS.get(TAKE);
        while (true) {
            int i = (int) pos & MASK;
            long dif = SEQUENCES.get(i) - (pos + 1);
            if (dif == 0) {
                if (CURSORS.compareAndSet(TAKE, pos, pos + 1)) {
                    Record r = ITEMS[i];
                    ITEMS[i] = null;
                    SEQUENCES.lazySet(i, pos + CAPACITY);
                    return r;
                }
                pos = CURSORS.get(TAKE);
            } else if (dif < 0) {
                return new Record(); // empty, or its giver is still storing
            } else {
                pos = CURSORS.get(TAKE);
            }
        }
    }

    /**
     * Clears {@code r} and keeps it for a later {@link #take()}; the caller must not touch it
     * again. Dropped when the pool is full or the record holds large extra arrays.
     */
    public static void give(Record r) {
        if (r == null || r.slot() >= 0 || r.extraCapacity() > MAX_POOLED_EXTRAS) {
            return;
        }
        r.reset();
        long pos = CURSORS.get(GIVE);
        while (true) {
            int i = (int) pos & MASK;
            long dif = SEQUENCES.get(i) - pos;
            if (dif == 0) {
                if (CURSORS.compareAndSet(GIVE, pos, pos + 1)) {
                    ITEMS[i] = r;
                    SEQUENCES.lazySet(i, pos + 1);
                    return;
                }
                pos = CURSORS.get(GIVE);
            } else if (dif < 0) {
                return; // full
            } else {
                pos = CURSORS.get(GIVE);
            }
        }
    }

    /** Records held now (tests; racy while others take and give). */
    static int size() {
        return (int) (CURSORS.get(GIVE) - CURSORS.get(TAKE));
    }
}
