package io.rpctrace.writer;

import io.rpctrace.record.Record;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A bounded multi-producer, single-consumer ring of reused {@link Record} slots
 * (Dmitry Vyukov's bounded queue, specialised to one consumer).
 *
 * <p>Each slot has a sequence number. A producer at ring position {@code pos} may take the
 * slot when its sequence equals {@code pos} (one CAS on the claim cursor), fills it, and
 * publishes it by setting the sequence to {@code pos + 1} with a release store. The consumer
 * reads the slot when the sequence is {@code pos + 1}, then frees it for the next lap by
 * setting {@code pos + capacity}. A producer that finds the slot of its position still in use
 * from the previous lap knows the ring is full: it gets {@code null} and never waits.
 *
 * <p>Design note: a slot's record is created by the first producer that claims it, not up
 * front: 16 384 records are about 3 MB that a service starting up would otherwise carry (and G1
 * copy) before it writes its first few hundred records. The producer owns the slot from its
 * claim to its publish, so it stores the new record with a plain write; the release store of
 * the sequence publishes it to the consumer, and the consumer's release of the slot to the
 * producer of the next lap. Each slot allocates once in the ring's life; after the first lap
 * nothing does.
 *
 * <p>Design note: closing sets a high bit in the claim cursor with the same CAS discipline,
 * so a claim either happened before close (and the consumer drains it) or fails; nothing
 * slips in between, which keeps the dropped count exact.
 */
final class RecordRing {
    /** Set in the claim cursor once the ring is closed. */
    static final long CLOSED = 1L << 62;
    /** The claim cursor sits in the middle of a 128-byte padded array to avoid false sharing. */
    private static final int CURSOR = 8;

    private final Record[] slots;
    private final int mask;
    private final AtomicLongArray sequences;
    private final AtomicLongArray cursor = new AtomicLongArray(2 * CURSOR + 1);

    /** @param capacity a power of two */
    RecordRing(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        slots = new Record[capacity];
        sequences = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            sequences.set(i, i);
        }
        mask = capacity - 1;
    }

    /** Slot {@code i}, or null while no producer has claimed it yet (tests). */
    Record slot(int i) {
        return slots[i];
    }

    int capacity() {
        return slots.length;
    }

    /** A slot to fill, or null when the ring is full or closed. Lock-free; never waits. */
    Record tryClaim() {
        long pos = cursor.get(CURSOR);
        while ((pos & CLOSED) == 0) {
            int i = (int) pos & mask;
            long dif = sequences.get(i) - pos;
            if (dif == 0) {
                if (cursor.compareAndSet(CURSOR, pos, pos + 1)) {
                    Record r = slots[i];
                    return r != null ? r : firstUse(i);
                }
            } else if (dif < 0) {
                return null; // the slot still holds a record of the previous lap: full
            }
            pos = cursor.get(CURSOR);
        }
        return null;
    }

    /** The first claim of slot {@code i} creates its record (kept out of {@link #tryClaim()} so that stays small to inline). */
    private Record firstUse(int i) {
        Record r = new Record(i);
        slots[i] = r;
        return r;
    }

    /** Publishes a claimed slot; false (and nothing done) when the record is not a claimed slot of this ring. */
    boolean publish(Record r) {
        int i = r.slot();
        if (i < 0 || i >= slots.length || slots[i] != r) {
            return false;
        }
        long seq = sequences.get(i);
        if ((seq & mask) != i) {
            return false; // published already (a second publish of the same claim)
        }
        sequences.lazySet(i, seq + 1);
        return true;
    }

    /** The record published at {@code pos}, or null when it is not published yet (consumer only). */
    Record peek(long pos) {
        int i = (int) pos & mask;
        return sequences.get(i) == pos + 1 ? slots[i] : null;
    }

    /** Frees the slot of {@code pos} for the next lap after the consumer is done with it. */
    void release(long pos) {
        sequences.lazySet((int) pos & mask, pos + slots.length);
    }

    /** Positions claimed so far (published or not). */
    long claimed() {
        return cursor.get(CURSOR) & ~CLOSED;
    }

    boolean isClosed() {
        return (cursor.get(CURSOR) & CLOSED) != 0;
    }

    /** Closes the ring to new claims and returns the end position: every claim is below it. */
    long close() {
        while (true) {
            long pos = cursor.get(CURSOR);
            if ((pos & CLOSED) != 0 || cursor.compareAndSet(CURSOR, pos, pos | CLOSED)) {
                return pos & ~CLOSED;
            }
        }
    }
}
