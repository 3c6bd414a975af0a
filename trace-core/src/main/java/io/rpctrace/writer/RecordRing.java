package io.rpctrace.writer;

import io.rpctrace.internal.RecordPool;
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
 * <p>Design note: a slot holds one of two records for a lap. A producer that fills a record in
 * place ({@link #tryClaim()}, {@link #publish(Record)}: logs, metrics, an application's own span)
 * gets the slot's own record. A producer that hands over a record it filled elsewhere
 * ({@link #offer(Record)}: an instrumentation span's pooled record) stores a reference to it in
 * the slot's second array instead of copying it in, claim and publish in one step; the consumer
 * gives that record back to {@link RecordPool} once it is encoded and leaves the slot's own record
 * untouched. The slot's own record is the coldest memory a call touches (last used one lap, 16 384
 * records, ago); a handed-over record is the one the call has just filled (docs/RATIONALE.md,
 * "Per-call cost", issues 18 and 20).
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

    /** Each slot's own record, filled in place ({@link #tryClaim()}); created by its first claim. */
    private final Record[] slots;
    /** A record handed over by reference ({@link #offer(Record)}) for the slot's current lap, else null. */
    private final Record[] lent;
    private final int mask;
    private final AtomicLongArray sequences;
    private final AtomicLongArray cursor = new AtomicLongArray(2 * CURSOR + 1);

    /** @param capacity a power of two */
    RecordRing(int capacity) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("capacity must be a power of two: " + capacity);
        }
        slots = new Record[capacity];
        lent = new Record[capacity];
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
        long pos = claimPosition();
        if (pos < 0) {
            return null;
        }
        int i = (int) pos & mask;
        Record r = slots[i];
        return r != null ? r : firstUse(i);
    }

    /**
     * Hands {@code r} (filled, not a slot of this ring) to the consumer by reference: claims the
     * next position and publishes it in one step. Returns the position, or -1 when the ring is
     * full or closed (then {@code r} stays the caller's). Lock-free; never waits. After a
     * successful offer the caller must not touch {@code r}: the consumer gives it back to
     * {@link RecordPool} once it is written.
     */
    long offer(Record r) {
        long pos = claimPosition();
        if (pos >= 0) {
            int i = (int) pos & mask;
            lent[i] = r; // the claim owns the slot; the release store below hands the reference over
            sequences.lazySet(i, pos + 1);
        }
        return pos;
    }

    /** Claims the next position: one CAS on the cursor; -1 when its slot is still in use (full) or the ring is closed. */
    private long claimPosition() {
        long pos = cursor.get(CURSOR);
        while ((pos & CLOSED) == 0) {
            long dif = sequences.get((int) pos & mask) - pos;
            if (dif == 0) {
                if (cursor.compareAndSet(CURSOR, pos, pos + 1)) {
                    return pos;
                }
            } else if (dif < 0) {
                return -1; // the slot still holds a record of the previous lap: full
            }
            pos = cursor.get(CURSOR);
        }
        return -1;
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
        if (sequences.get(i) != pos + 1) {
            return null;
        }
        Record r = lent[i];
        return r != null ? r : slots[i];
    }

    /**
     * Frees the slot of {@code pos} for the next lap once the consumer has written its record:
     * clears the slot's own record (no reference to the application's strings survives the write),
     * or gives a handed-over record back to {@link RecordPool} (which clears it) and forgets it.
     */
    void release(long pos) {
        int i = (int) pos & mask;
        Record r = lent[i];
        if (r != null) {
            lent[i] = null;
            RecordPool.give(r);
        } else {
            slots[i].reset();
        }
        sequences.lazySet(i, pos + slots.length);
    }

    /** The record handed over for slot {@code i}'s current lap, or null (tests). */
    Record lent(int i) {
        return lent[i];
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
