package io.rpctrace.writer;

import io.rpctrace.context.TraceId;
import io.rpctrace.record.Record;
import io.rpctrace.record.RecordEncoder;
import io.rpctrace.record.RecordNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The writer thread's loop: takes published records from the ring in order, encodes each
 * into one large preallocated direct buffer, clears the slot (so nothing is retained) and
 * frees it, and writes the buffer to the {@link LogFile} when it is full, when the oldest
 * byte in it has waited {@code flush.interval.ms}, on {@code flush()} and on close.
 *
 * <p>Faults: a failed write keeps the buffer and stops taking records from the ring; the ring
 * then keeps what fits and producers drop (and count) the rest. Every retry interval the file
 * is reopened and the buffer written again. The first failure and the recovery are said once
 * each on stderr, and the recovery, with the number dropped, in a {@code log.warn} record of
 * {@code x_module} {@value #MODULE}. Drops from a full ring are reported the same way, at most
 * once per interval, as soon as the writer has room.
 */
final class WriterLoop implements Runnable {
    static final String MODULE = "rpctrace_writer";
    private static final int MAX_DRAIN = 4096;
    private static final long RETENTION_EVERY_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final long UNSET = -1;

    private final RecordRing ring;
    private final WriterSettings settings;
    private final RecordEncoder encoder;
    private final ByteBuffer batch;
    private final LogFile file;
    private final Retention retention;
    private final LongSupplier producerDrops;
    private final Record notice = new Record();
    private final long flushNanos;
    private final long parkMaxNanos;

    /** The next ring position to take. */
    private long next;
    private int batchRecords;
    private long pendingSince = UNSET;
    private long nextRetention;
    private long reportedDropped;
    private long nextNotice;
    private int idleRounds;

    private long faultSinceMs;
    private long nextRetry;
    private boolean internalErrorSaid;

    /** Set while the thread is parked, so that producers may wake it. */
    volatile boolean parked;
    /** True while the file cannot be written: blocking producers stop waiting. */
    volatile boolean faulted;
    final AtomicLong flushRequested = new AtomicLong(UNSET);
    volatile long flushedTo = UNSET;
    private volatile long closeEnd = UNSET;
    private volatile long closeDeadline;
    volatile boolean finished;
    // Figures for rpctrace's own metrics: written by this thread only, read by the metrics thread.
    private volatile long written;
    private volatile long bytesWritten;
    /** Records the encoder could not write. */
    private volatile long droppedUnencodable;
    /** Records still in the ring or the buffer when close had to give up (or the file failed at close). */
    private volatile long droppedAtClose;
    private volatile long filesDeleted;
    /** Most records waiting in the ring seen since the metrics thread last took it. */
    private final AtomicLong ringHighWater = new AtomicLong();

    WriterLoop(RecordRing ring, WriterSettings settings, LongSupplier producerDrops) {
        this.ring = ring;
        this.settings = settings;
        this.producerDrops = producerDrops;
        this.encoder = new RecordEncoder(settings.department, settings.version, settings.pid,
                settings.recordMaxBytes);
        this.batch = ByteBuffer.allocateDirect(settings.batchCapacity());
        this.file = new LogFile(settings.dir, settings.fileName(), settings.fileMaxBytes, settings.rollIntervalMs,
                settings.clock);
        this.retention = new Retention(settings.dir, settings.fileName(), settings.retentionDays,
                settings.dirMaxBytes, settings.clock);
        this.flushNanos = TimeUnit.MILLISECONDS.toNanos(settings.flushIntervalMs);
        this.parkMaxNanos = Math.max(TimeUnit.MICROSECONDS.toNanos(100), Math.min(flushNanos / 4,
                TimeUnit.MILLISECONDS.toNanos(10)));
    }

    long written() {
        return written;
    }

    long droppedByWriter() {
        return droppedUnencodable + droppedAtClose;
    }

    long droppedUnencodable() {
        return droppedUnencodable;
    }

    long droppedAtClose() {
        return droppedAtClose;
    }

    long bytesWritten() {
        return bytesWritten;
    }

    long filesRolled() {
        return file.rolled();
    }

    long filesDeleted() {
        return filesDeleted;
    }

    /** The ring's high-water mark since the last call, and starts a new one (the metrics thread). */
    long takeRingHighWater() {
        return ringHighWater.getAndSet(0);
    }

    /** Notes the ring's occupancy; a producer that finds it full notes the capacity. */
    void noteOccupancy(long waiting) {
        if (waiting > ringHighWater.get()) {
            ringHighWater.accumulateAndGet(waiting, Math::max);
        }
    }

    java.nio.file.Path path() {
        return file.path();
    }

    /** Asks the thread to drain up to {@code end} and stop by {@code deadline} (nanoTime). */
    void close(long end, long deadline) {
        closeDeadline = deadline;
        closeEnd = end;
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        try {
            file.open();
        } catch (IOException | RuntimeException e) {
            fault(e, now);
        }
        runRetention();
        nextRetention = now + RETENTION_EVERY_NANOS;
        while (closeEnd == UNSET) {
            try {
                round();
            } catch (Throwable t) {
                internalError(t);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // never spin on a persistent error
            }
        }
        try {
            finish();
        } catch (Throwable t) {
            internalError(t);
        } finally {
            finished = true;
        }
    }

    private void round() {
        noteOccupancy(ring.claimed() - next);
        int n = faulted ? 0 : drain(MAX_DRAIN, Long.MAX_VALUE);
        long now = System.nanoTime();
        if (faulted) {
            if (now - nextRetry >= 0) {
                retry(now);
            }
        } else {
            long req = flushRequested.get();
            if (req > flushedTo) {
                writeBatch(now);
                if (!faulted) {
                    flushedTo = next;
                }
            } else if (pendingSince != UNSET && now - pendingSince >= flushNanos) {
                writeBatch(now);
            }
            if (!faulted && batch.position() == 0 && file.periodEnded()) {
                rollIdle(now);
            }
            noteDrops(now);
            if (now - nextRetention >= 0) {
                nextRetention = now + RETENTION_EVERY_NANOS;
                runRetention();
            }
        }
        if (n == 0) {
            idle(now);
        } else {
            idleRounds = 0;
        }
    }

    /** Takes up to {@code max} published records below {@code end}; stops early on a fault. */
    private int drain(int max, long end) {
        int n = 0;
        while (n < max && next < end) {
            Record r = ring.peek(next);
            if (r == null || !append(r)) {
                break;
            }
            r.reset();
            ring.release(next);
            next++;
            n++;
        }
        return n;
    }

    /** Encodes {@code r} into the batch; false (record left in the ring) when the file cannot take the batch. */
    private boolean append(Record r) {
        int len;
        try {
            len = encoder.encode(r);
        } catch (Throwable t) {
            droppedUnencodable++; // a record the encoder cannot write is dropped, not retried
            internalError(t);
            return true;
        }
        if (len > batch.capacity()) {
            droppedUnencodable++; // longer than the buffer itself: cannot happen with batchCapacity()
            return true;
        }
        if (!room(len)) {
            return false;
        }
        batch.put(encoder.buffer(), 0, len);
        batchRecords++;
        return true;
    }

    /** Makes room for a line of {@code len} bytes, writing the batch first when needed. */
    private boolean room(int len) {
        long cap = settings.fileMaxBytes;
        boolean full = len > batch.remaining();
        boolean fileFull = cap > 0 && batch.position() > 0 && file.size() + batch.position() + len > cap;
        if (full || fileFull) {
            writeBatch(System.nanoTime());
            if (faulted) {
                return false;
            }
        }
        if (pendingSince == UNSET) {
            pendingSince = System.nanoTime();
        }
        return true;
    }

    /** Writes the batch to the file; on failure keeps it and enters the fault state. */
    private void writeBatch(long now) {
        if (batch.position() == 0) {
            pendingSince = UNSET;
            return;
        }
        int len = batch.position();
        batch.flip();
        try {
            file.write(batch);
            batch.clear();
            written += batchRecords;
            bytesWritten += len;
            batchRecords = 0;
            pendingSince = UNSET;
            if (file.size() == len) {
                runRetention(); // a new file was just started: a roll or a reopen
            }
        } catch (IOException | RuntimeException e) {
            batch.limit(batch.capacity()).position(len);
            fault(e, now);
        }
    }

    private void rollIdle(long now) {
        try {
            file.rollIfDue(0);
            runRetention();
        } catch (IOException | RuntimeException e) {
            fault(e, now);
        }
    }

    private void fault(Exception e, long now) {
        nextRetry = now + flushNanos;
        if (faulted) {
            return;
        }
        faulted = true;
        faultSinceMs = settings.clock.millis();
        settings.diagnostics.println("rpctrace: cannot write " + file.path() + " (log.dir): " + e
                + "; records wait in the ring (ring.size) while it has room, then are dropped and counted"
                + " (rpctrace_writer_dropped); retrying every " + settings.flushIntervalMs + " ms");
    }

    private void retry(long now) {
        nextRetry = now + flushNanos;
        try {
            if (batch.position() > 0) {
                int len = batch.position();
                batch.flip();
                try {
                    file.write(batch);
                } catch (IOException | RuntimeException e) {
                    batch.limit(batch.capacity()).position(len);
                    throw e;
                }
                batch.clear();
                written += batchRecords;
                bytesWritten += len;
                batchRecords = 0;
                pendingSince = UNSET;
            } else if (!file.isOpen()) {
                file.open();
            }
        } catch (IOException | RuntimeException e) {
            return; // still failing; said once already
        }
        faulted = false;
        long dropped = totalDropped() - reportedDropped; // the fault's drops and any not yet reported
        long seconds = Math.max(0, settings.clock.millis() - faultSinceMs) / 1000;
        String msg = "rpctrace: writing " + file.path() + " again after " + seconds + " s; " + dropped
                + " records were dropped";
        settings.diagnostics.println(msg);
        writeNotice(msg, dropped);
        reportedDropped = totalDropped();
        runRetention();
    }

    /** Reports drops (a full ring, an encoder failure) in the file, at most once per interval. */
    private void noteDrops(long now) {
        long total = totalDropped();
        if (total > reportedDropped && now - nextNotice >= 0) {
            long n = total - reportedDropped;
            reportedDropped = total;
            nextNotice = now + flushNanos;
            writeNotice("rpctrace: " + n + " records dropped: the writer could not keep up (ring.size="
                    + ring.capacity() + ")", n);
        }
    }

    private void writeNotice(String msg, long dropped) {
        Record r = notice.reset().name(RecordNames.LOG_WARN).traceId(TraceId.generate()).rpcId("0.1")
                .timestampMs(settings.clock.millis()).threadId(Thread.currentThread().getId())
                .module(MODULE).msg(msg).extra("dropped", dropped);
        append(r);
        notice.reset();
    }

    private void idle(long now) {
        if (++idleRounds < 16) {
            Thread.yield();
            return;
        }
        long wait = parkMaxNanos;
        if (flushRequested.get() > flushedTo) {
            wait = TimeUnit.MICROSECONDS.toNanos(50);
        } else if (pendingSince != UNSET) {
            wait = Math.min(wait, Math.max(1000, pendingSince + flushNanos - now));
        }
        parked = true;
        if (ring.peek(next) == null && closeEnd == UNSET) {
            LockSupport.parkNanos(this, wait);
        }
        parked = false;
    }

    /** Close: drain everything claimed before close, write, force, and count what could not be kept. */
    private void finish() {
        long end = closeEnd;
        long deadline = closeDeadline;
        if (faulted) {
            retry(System.nanoTime()); // one last attempt; a broken disk must not hold up the exit
        }
        while (!faulted && next < end && System.nanoTime() - deadline < 0) {
            if (drain(MAX_DRAIN, end) == 0) {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20)); // a producer is still filling its slot
            }
        }
        if (!faulted) {
            noteDrops(System.nanoTime() + flushNanos);
            writeBatch(System.nanoTime());
        }
        forceQuietly();
        file.closeQuietly();
        long lost = end - next + batchRecords;
        if (lost > 0) {
            droppedAtClose += lost;
            settings.diagnostics.println("rpctrace: " + lost + " records could not be written to " + file.path()
                    + " before shutdown");
        }
        flushedTo = Long.MAX_VALUE;
    }

    private void forceQuietly() {
        try {
            file.force();
        } catch (IOException | RuntimeException ignored) {
            // the next write will find out
        }
    }

    private void runRetention() {
        try {
            int deleted = retention.run();
            if (deleted > 0) {
                filesDeleted += deleted;
            }
        } catch (IOException | RuntimeException ignored) {
            // retention is best effort; the next roll tries again
        }
    }

    private long totalDropped() {
        return producerDrops.getAsLong() + droppedByWriter();
    }

    private void internalError(Throwable t) {
        if (!internalErrorSaid) {
            internalErrorSaid = true;
            settings.diagnostics.println("rpctrace: writer error: " + t + "; the record is dropped and counted");
        }
    }
}
