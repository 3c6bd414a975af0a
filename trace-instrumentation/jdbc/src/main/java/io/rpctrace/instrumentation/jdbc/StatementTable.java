package io.rpctrace.instrumentation.jdbc;

import io.rpctrace.internal.concurrent.WeakIdentityMap;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The state of the statements in use, found by the statement's identity from any thread: a
 * direct-mapped table of slots (the statement's identity hash picks one) in front of a weak
 * identity map that takes what a newer statement displaced from its slot.
 *
 * <pre>{@code
 * table.put(statement, info, sql, action, secret);   // prepareStatement
 * table.get(statement);          // setXxx, execute*: the slot, else the map
 * table.remove(statement);       // close
 * }</pre>
 *
 * <p>Design note (docs/RATIONALE.md, "A statement's state in a slot table"): a statement is
 * usually created, executed and closed within one request, so a slot is nearly always free
 * when it is created and still holds it when it is executed and closed. Then the cost is a
 * compare-and-set, a volatile read and a compare-and-set, and one allocation (the state,
 * which is itself the weak reference to its statement), against a weak key, a map node, a
 * count and three map probes in a {@link WeakIdentityMap}. A slot keeps no statement alive;
 * the state of a statement collected without {@code close()} is dropped, bound values and
 * all, at the next {@code put} (as a weak map purges on writes). A displaced live statement
 * moves to the map before its slot changes, so a lookup from another thread that misses the
 * slot finds it there.
 */
final class StatementTable {
    /** Slots of the agent's table: many times the statements a server has open at once. */
    static final int DEFAULT_SLOTS = 4096;

    private final AtomicReferenceArray<StatementState> slots;
    private final int mask;
    private final WeakIdentityMap<StatementState> displaced = new WeakIdentityMap<>();
    /** The states whose statement was collected (never closed). */
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private final int maxDisplaced;

    /**
     * @param slots        a power of two
     * @param maxDisplaced statements kept in the map at most; past that a displaced one is
     *                     forgotten (its next execution finds its connection, not its SQL)
     */
    StatementTable(int slots, int maxDisplaced) {
        if (Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("slots must be a power of two: " + slots);
        }
        this.slots = new AtomicReferenceArray<>(slots);
        this.mask = slots - 1;
        this.maxDisplaced = maxDisplaced;
    }

    /**
     * Remembers a statement: its database, its SQL as prepared and {@code x_action} (null for a
     * plain {@code Statement}), and which placeholders bind a secret. Returns its state, which
     * references the statement weakly.
     */
    StatementState put(Object statement, ConnectionInfo conn, String sql, String action, boolean[] secret) {
        dropCollected();
        int i = System.identityHashCode(statement) & mask;
        StatementState state = new StatementState(statement, collected, i, conn, sql, action, secret);
        while (true) {
            StatementState old = slots.get(i);
            Object oldStatement = old == null ? null : old.get();
            if (oldStatement != null && oldStatement != statement && displaced.size() < maxDisplaced) {
                // before the slot changes: a lookup that then misses the slot finds it in the map
                displaced.put(oldStatement, old);
            }
            if (slots.compareAndSet(i, old, state)) {
                return state;
            }
        }
    }

    private void dropCollected() {
        Reference<?> r;
        while ((r = collected.poll()) != null) {
            StatementState st = (StatementState) r;
            st.clearParams();
            slots.compareAndSet(st.slot, st, null);
        }
    }

    /** The state of {@code statement}, or null. */
    StatementState get(Object statement) {
        StatementState st = slots.get(System.identityHashCode(statement) & mask);
        if (st != null && st.get() == statement) {
            return st;
        }
        return displaced.isEmpty() ? null : displaced.get(statement);
    }

    /** Forgets {@code statement} ({@code close()}). */
    void remove(Object statement) {
        int i = System.identityHashCode(statement) & mask;
        StatementState st = slots.get(i);
        if (st != null && st.get() == statement && slots.compareAndSet(i, st, null)) {
            // a put displacing it at this moment may leave a copy in the map: weak, and bounded
            return;
        }
        if (!displaced.isEmpty()) {
            displaced.remove(statement);
        }
    }

    /** Statements in the map (displaced from their slot and not closed since): for tests. */
    int displacedCount() {
        return displaced.size();
    }
}
