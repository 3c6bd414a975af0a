package io.rpctrace.writer;

import io.rpctrace.internal.RecordPool;
import io.rpctrace.record.Record;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The default writer: application threads fill preallocated slots of a lock-free ring and one
 * background thread per file encodes them to JSON lines and appends them in large batches to
 * {@code <log.dir>/<service>.trace.log} (see {@code docs/writer.md}).
 *
 * <p>On the application thread, {@link #claim()} is one CAS (or, when the ring is full, a
 * counted drop that returns null), and {@link #publish(Record)} one release store. A pooled
 * record ({@link #handOver(Record)}) is not copied: the slot takes a reference to it, and the
 * writer thread gives it back to {@link RecordPool} after encoding it. Nothing is allocated,
 * locked or encoded there. With {@code writer.blocking=true} a full ring makes the
 * producer wait for room instead, except while the file cannot be written.
 *
 * <pre>{@code
 * RingFileWriter w = new RingFileWriter(WriterSettings.defaults(Paths.get("logs"), "orders"));
 * Record r = w.claim();
 * if (r != null) {
 *     try { r.name("log.info").traceId(id).rpcId("0.1").timestampMs(now); }
 *     finally { w.publish(r); }
 * }
 * w.close(); // drains, writes and forces within closeTimeoutMs
 * }</pre>
 */
public final class RingFileWriter implements RecordWriter {
    private final RecordRing ring;
    private final WriterLoop loop;
    private final Thread thread;
    private final WriterSettings settings;
    /** Claims refused because the ring was full while the file could be written: the writer fell behind. */
    private final LongAdder droppedRingFull = new LongAdder();
    /** Claims refused because the ring was full while the file could not be written. */
    private final LongAdder droppedIo = new LongAdder();
    /** Claims after close. */
    private final LongAdder droppedClosed = new LongAdder();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Producers wake a parked writer thread each time they claim a slot at a multiple of this + 1. */
    private final int nudgeMask;

    /** Starts the writer thread for {@code <settings.dir>/<settings.service>.trace.log}. */
    public RingFileWriter(WriterSettings settings) {
        this(settings, true);
    }

    /** For tests: {@code start=false} leaves the writer thread stopped until {@link #start()}. */
    RingFileWriter(WriterSettings settings, boolean start) {
        this.settings = settings;
        this.ring = new RecordRing(settings.ringCapacity());
        this.loop = new WriterLoop(ring, settings, this::producerDrops);
        this.thread = new Thread(loop, "rpctrace-writer-" + settings.service);
        this.thread.setDaemon(true);
        this.nudgeMask = Math.max(1, ring.capacity() / 8) - 1;
        if (start) {
            start();
        }
    }

    void start() {
        if (started.compareAndSet(false, true)) {
            thread.start();
        }
    }

    /** How many times the writer thread has gone to sleep (tests: how often a trickle of records wakes it). */
    long writerParks() {
        return loop.parks;
    }

    /** The ring (tests check that written slots hold no references). */
    RecordRing ring() {
        return ring;
    }

    /** The active file. */
    public Path path() {
        return loop.path();
    }

    @Override
    public Record claim() {
        Record r = ring.tryClaim();
        if (r == null) {
            if (settings.blocking) {
                r = claimWaiting();
            }
            if (r == null) {
                countDrop();
                return null;
            }
        }
        if ((r.slot() & nudgeMask) == 0 && loop.parked) {
            LockSupport.unpark(thread); // a burst is filling the ring while the writer sleeps
        }
        return r;
    }

    /** Counts a refused claim by its cause (off the hot path: only when the ring is full or closed). */
    private void countDrop() {
        if (ring.isClosed()) {
            droppedClosed.increment();
        } else if (loop.faulted()) {
            droppedIo.increment();
        } else {
            droppedRingFull.increment();
            loop.noteOccupancy(ring.capacity());
        }
    }

    private long producerDrops() {
        return droppedRingFull.sum() + droppedIo.sum() + droppedClosed.sum();
    }

    /**
     * The ring takes a reference to {@code pooled} instead of a copy (one CAS and a release
     * store); the writer thread gives it back to {@link RecordPool} once it is encoded. A full or
     * closed ring drops it, counted like a refused claim, and it goes back to the pool at once.
     */
    @Override
    public void handOver(Record pooled) {
        if (pooled == null) {
            return;
        }
        long pos = ring.offer(pooled);
        if (pos < 0) {
            if (settings.blocking) {
                pos = offerWaiting(pooled);
            }
            if (pos < 0) {
                countDrop();
                observeDropped(pooled); // still counted in its module timer
                RecordPool.give(pooled);
                return;
            }
        }
        if ((pos & nudgeMask) == 0 && loop.parked) {
            LockSupport.unpark(thread); // a burst is filling the ring while the writer sleeps
        }
    }

    /** The writer thread observes each handed-over record after encoding it; a dropped one, the producer. */
    @Override
    public boolean observeHandedOver(Consumer<Record> observer) {
        loop.observer = observer;
        return true;
    }

    private void observeDropped(Record pooled) {
        Consumer<Record> o = loop.observer;
        if (o != null) {
            try {
                o.accept(pooled);
            } catch (Throwable ignored) {
                // the observer counts its own faults; the record is dropped either way
            }
        }
    }

    /** {@code writer.blocking} for {@link #handOver(Record)}: as {@link #claimWaiting()}. */
    private long offerWaiting(Record pooled) {
        while (!ring.isClosed() && !loop.faulted() && !loop.finished && started.get()) {
            if (loop.parked) {
                LockSupport.unpark(thread);
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20));
            long pos = ring.offer(pooled);
            if (pos >= 0) {
                return pos;
            }
        }
        return -1;
    }

    /** {@code writer.blocking}: waits for room unless the ring is closed or the file is failing. */
    private Record claimWaiting() {
        while (!ring.isClosed() && !loop.faulted() && !loop.finished && started.get()) {
            if (loop.parked) {
                LockSupport.unpark(thread);
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20));
            Record r = ring.tryClaim();
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    @Override
    public void publish(Record record) {
        if (record != null) {
            ring.publish(record);
        }
    }

    /** Writes everything claimed so far to the file (not forced); waits at most twice the flush interval. */
    @Override
    public void flush() {
        if (!started.get() || loop.finished || loop.faulted()) {
            return;
        }
        long target = ring.claimed();
        loop.flushRequested.accumulateAndGet(target, Math::max);
        LockSupport.unpark(thread);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2 * settings.flushIntervalMs + 1000);
        while (loop.flushedTo < target && !loop.finished && !loop.faulted() && System.nanoTime() - deadline < 0) {
            LockSupport.unpark(thread);
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(50));
        }
    }

    /**
     * Closes the ring (later claims are dropped and counted), lets the writer thread drain it,
     * write and force the file, and waits for that at most {@code closeTimeoutMs}.
     */
    @Override
    public void close() {
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(settings.closeTimeoutMs);
        if (closed.compareAndSet(false, true)) {
            long end = ring.close();
            loop.close(end, System.nanoTime() + timeoutNanos);
            start();
            LockSupport.unpark(thread);
        }
        try {
            thread.join(TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + 500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public long dropped() {
        return producerDrops() + loop.droppedByWriter();
    }

    @Override
    public long written() {
        return loop.written();
    }

    // ---- figures for rpctrace's own metrics (rpctrace_writer_dropped by cause, ...) ----

    /** Records dropped because the ring was full while the file could be written (the writer fell behind). */
    public long droppedRingFull() {
        return droppedRingFull.sum();
    }

    /** Records dropped because the ring filled up while the file could not be written. */
    public long droppedIo() {
        return droppedIo.sum();
    }

    /** Records the encoder could not write. */
    public long droppedUnencodable() {
        return loop.droppedUnencodable();
    }

    /** Records offered after close, or still unwritten when close gave up. */
    public long droppedClosed() {
        return droppedClosed.sum() + loop.droppedAtClose();
    }

    /** Bytes appended to the files so far. */
    public long bytesWritten() {
        return loop.bytesWritten();
    }

    /** Files rolled so far (by time or size). */
    public long filesRolled() {
        return loop.filesRolled();
    }

    /** Rolled files deleted by retention so far. */
    public long filesDeleted() {
        return loop.filesDeleted();
    }

    /**
     * The most records that waited in the ring at once since the previous call (the ring's
     * capacity when a claim found it full); starts a new period. Read by the metrics thread.
     */
    public long takeRingHighWater() {
        return loop.takeRingHighWater();
    }

    /** The ring's capacity ({@code ring.size}). */
    public int ringCapacity() {
        return ring.capacity();
    }
}
