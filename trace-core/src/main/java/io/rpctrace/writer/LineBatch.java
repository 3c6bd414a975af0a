package io.rpctrace.writer;

import io.rpctrace.record.Record;
import io.rpctrace.record.RecordEncoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The writer thread's output: records encoded into one large preallocated direct buffer and
 * appended to the {@link LogFile} in one write when the buffer is full, when the file would
 * pass its size cap, on a flush and on close; retention runs whenever a new file starts.
 * Used by the writer thread only (the figures are read by the metrics thread).
 *
 * <p>Faults: a failed write keeps the batch and enters the fault state (said once on stderr);
 * {@link #retry} writes the kept batch again, or reopens the file, until it works.
 */
final class LineBatch {
    static final long UNSET = -1;

    private final WriterSettings settings;
    private final RecordEncoder encoder;
    private final ByteBuffer batch;
    private final LogFile file;
    private final Retention retention;
    private final long flushNanos;

    private int batchRecords;
    /** nanoTime when the oldest line in the batch was added, or {@link #UNSET}. */
    private long pendingSince = UNSET;
    private long faultSinceMs;
    private long nextRetry;
    private boolean internalErrorSaid;

    /** True while the file cannot be written: blocking producers stop waiting. */
    volatile boolean faulted;
    // Figures for rpctrace's own metrics: written by the writer thread only, read by the metrics thread.
    private volatile long written;
    private volatile long bytesWritten;
    /** Records the encoder could not write. */
    private volatile long droppedUnencodable;
    private volatile long filesDeleted;

    LineBatch(WriterSettings settings, long flushNanos) {
        this.settings = settings;
        this.flushNanos = flushNanos;
        this.encoder = new RecordEncoder(settings.department, settings.version, settings.pid,
                settings.recordMaxBytes);
        this.batch = ByteBuffer.allocateDirect(settings.batchCapacity());
        this.file = new LogFile(settings.dir, settings.fileName(), settings.fileMaxBytes, settings.rollIntervalMs,
                settings.clock);
        this.retention = new Retention(settings.dir, settings.fileName(), settings.retentionDays,
                settings.dirMaxBytes, settings.clock);
    }

    /** Opens the file (a failure enters the fault state) and runs retention once. */
    void open(long now) {
        try {
            file.open();
        } catch (IOException | RuntimeException e) {
            fault(e, now);
        }
        runRetention();
    }

    /** Encodes {@code r} into the batch; false (record left in the ring) when the file cannot take the batch. */
    boolean append(Record r) {
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
            write(System.nanoTime());
            if (faulted) {
                return false;
            }
        }
        if (pendingSince == UNSET) {
            pendingSince = System.nanoTime();
        }
        return true;
    }

    /** Dates the batch's oldest line back to {@code since} when it is younger (lines that waited in the ring first). */
    void pendingSinceAtMost(long since) {
        if (pendingSince != UNSET && pendingSince - since > 0) {
            pendingSince = since;
        }
    }

    /** True when the oldest line in the batch has waited {@code flush.interval.ms}. */
    boolean flushDue(long now) {
        return pendingSince != UNSET && now - pendingSince >= flushNanos;
    }

    /** nanoTime when the oldest line in the batch was added, or {@link #UNSET}. */
    long pendingSince() {
        return pendingSince;
    }

    /** Lines in the batch, not yet written. */
    int batchRecords() {
        return batchRecords;
    }

    /** Writes the batch to the file; on failure keeps it and enters the fault state. */
    void write(long now) {
        if (batch.position() == 0) {
            pendingSince = UNSET;
            return;
        }
        int len = batch.position();
        batch.flip();
        try {
            file.write(batch);
            written(len);
            if (file.size() == len) {
                runRetention(); // a new file was just started: a roll or a reopen
            }
        } catch (IOException | RuntimeException e) {
            batch.limit(batch.capacity()).position(len);
            fault(e, now);
        }
    }

    private void written(int len) {
        batch.clear();
        written += batchRecords;
        bytesWritten += len;
        batchRecords = 0;
        pendingSince = UNSET;
    }

    /** Rolls a file whose period ended while nothing was waiting (an idle service still rolls daily). */
    void rollIfIdle(long now) {
        if (faulted || batch.position() != 0 || !file.periodEnded()) {
            return;
        }
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

    /** True when a faulted file is due for its next attempt. */
    boolean retryDue(long now) {
        return now - nextRetry >= 0;
    }

    /**
     * Writes the kept batch again (or reopens the file); on success leaves the fault state and
     * returns how many seconds it lasted, else returns -1 (still failing; said once already).
     */
    long retry(long now) {
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
                written(len);
            } else if (!file.isOpen()) {
                file.open();
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        faulted = false;
        return Math.max(0, settings.clock.millis() - faultSinceMs) / 1000;
    }

    /** Forces and closes the file, quietly: at close, nothing is left to report to. */
    void close() {
        try {
            file.force();
        } catch (IOException | RuntimeException ignored) {
            // the next write will find out
        }
        file.closeQuietly();
    }

    void runRetention() {
        try {
            int deleted = retention.run();
            if (deleted > 0) {
                filesDeleted += deleted;
            }
        } catch (IOException | RuntimeException ignored) {
            // retention is best effort; the next roll tries again
        }
    }

    /** Says the first internal error of the writer on stderr; the record concerned is dropped and counted. */
    void internalError(Throwable t) {
        if (!internalErrorSaid) {
            internalErrorSaid = true;
            settings.diagnostics.println("rpctrace: writer error: " + t + "; the record is dropped and counted");
        }
    }

    Path path() {
        return file.path();
    }

    long written() {
        return written;
    }

    long bytesWritten() {
        return bytesWritten;
    }

    long droppedUnencodable() {
        return droppedUnencodable;
    }

    long filesRolled() {
        return file.rolled();
    }

    long filesDeleted() {
        return filesDeleted;
    }
}
