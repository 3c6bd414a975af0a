package io.rpctrace.writer;

import io.rpctrace.internal.RecordPool;
import io.rpctrace.record.Record;
import java.util.function.Consumer;

/**
 * Where records go. A producer claims a record, fills it and publishes it, on one thread:
 *
 * <pre>{@code
 * Record r = writer.claim();
 * if (r != null) {           // null: the record is dropped (and counted) under overload
 *     try { r.name("x").traceId(id).timestampMs(now); }
 *     finally { writer.publish(r); }
 * }
 * }</pre>
 *
 * <p>Implementations never block the producer by default, never throw, and count what they drop.
 */
public interface RecordWriter {
    /** A cleared record to fill, or null when the record has to be dropped. */
    Record claim();

    /** Hands a record obtained from {@link #claim()} over for writing. Always call it after a claim. */
    void publish(Record record);

    /**
     * Hands over a record taken from {@link RecordPool} and filled (an instrumentation span's):
     * from here on it is the writer's, which gives it back to the pool once it is written or
     * dropped; the caller must not touch it again. This default copies it into a claimed record
     * and gives it back at once; the ring writer keeps a reference instead of copying.
     */
    default void handOver(Record pooled) {
        try {
            Record r = claim();
            if (r != null) {
                try {
                    r.copyFrom(pooled);
                } finally {
                    publish(r);
                }
            }
        } finally {
            RecordPool.give(pooled);
        }
    }

    /**
     * Has {@code observer} see every record handed over ({@link #handOver(Record)}) once: on the
     * writer's own thread just before the record goes back to the pool, or on the producer's
     * when the writer drops it. Tracing feeds the module timers this way, off the application
     * thread (docs/RATIONALE.md, "Module timers are fed on the writer thread"). Returns false
     * when this writer does not do it (then the caller observes each record itself); set once,
     * before the first hand-over. {@link #flush()} returns once the records handed over before
     * it have been observed.
     */
    default boolean observeHandedOver(Consumer<Record> observer) {
        return false;
    }

    /** Writes everything published so far to the file (bounded wait). */
    void flush();

    /** Drains, writes and forces the file, then stops; later records are dropped. */
    void close();

    /** Records dropped so far (overload, I/O faults, after close). */
    long dropped();

    /** Records written so far. */
    long written();
}
