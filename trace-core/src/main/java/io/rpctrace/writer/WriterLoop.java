package io.rpctrace.writer;

import io.rpctrace.context.TraceId;
import io.rpctrace.record.Record;
import io.rpctrace.record.RecordNames;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The writer thread's loop: takes published records from the ring in order, hands each to the
 * {@link LineBatch} (which encodes it into its buffer), clears the slot (so nothing is
 * retained) and frees it; has the batch written when its oldest line has waited
 * {@code flush.interval.ms}, on {@code flush()} and on close.
 *
 * <p>Faults: while the file cannot be written the loop stops taking records from the ring;
 * the ring then keeps what fits and producers drop (and count) the rest. Every retry interval
 * the batch tries again. The first failure and the recovery are said once each on stderr, and
 * the recovery, with the number dropped, in a {@code log.warn} record of {@code x_module}
 * {@value #MODULE}. Drops from a full ring are reported the same way, at most once per
 * interval, as soon as the writer has room.
 */
final class WriterLoop implements Runnable {
    static final String MODULE = "rpctrace_writer";
    private static final int MAX_DRAIN = 4096;
    /** Records whose memory {@link #touchAhead} reads before the encoder takes the first of them. */
    private static final int TOUCH_AHEAD = 16;
    private static final long RETENTION_EVERY_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final long UNSET = LineBatch.UNSET;

    private final RecordRing ring;
    private final WriterSettings settings;
    private final LineBatch out;
    private final LongSupplier producerDrops;
    private final Record notice = new Record();
    private final long flushNanos;

    /** The next ring position to take. */
    private long next;
    /** Positions below it were read ahead by {@link #touchAhead}. */
    private long touchedTo;
    /** The sum {@link #touchAhead} keeps; its value means nothing. */
    int touchSink;
    private long nextRetention;
    private long reportedDropped;
    private long nextNotice;
    /** nanoTime when the writer last parked with its batch and the ring empty, or UNSET: what it drains next was published after that. */
    private long emptySince = UNSET;
    /** Times the thread has parked (tests: a trickle of records must not wake it at a fixed high rate). */
    volatile long parks;

    /** Sees each handed-over record once ({@link RecordWriter#observeHandedOver}), or null. */
    volatile Consumer<Record> observer;

    /** Set while the thread is parked, so that producers may wake it. */
    volatile boolean parked;
    final AtomicLong flushRequested = new AtomicLong(UNSET);
    volatile long flushedTo = UNSET;
    private volatile long closeEnd = UNSET;
    private volatile long closeDeadline;
    volatile boolean finished;
    /** Records still in the ring or the buffer when close had to give up (or the file failed at close). */
    private volatile long droppedAtClose;
    /** Most records waiting in the ring seen since the metrics thread last took it. */
    private final AtomicLong ringHighWater = new AtomicLong();

    WriterLoop(RecordRing ring, WriterSettings settings, LongSupplier producerDrops) {
        this.ring = ring;
        this.settings = settings;
        this.producerDrops = producerDrops;
        this.flushNanos = TimeUnit.MILLISECONDS.toNanos(settings.flushIntervalMs);
        this.out = new LineBatch(settings, flushNanos);
    }

    /** True while the file cannot be written: blocking producers stop waiting. */
    boolean faulted() {
        return out.faulted;
    }

    long written() {
        return out.written();
    }

    long droppedByWriter() {
        return out.droppedUnencodable() + droppedAtClose;
    }

    long droppedUnencodable() {
        return out.droppedUnencodable();
    }

    long droppedAtClose() {
        return droppedAtClose;
    }

    long bytesWritten() {
        return out.bytesWritten();
    }

    long filesRolled() {
        return out.filesRolled();
    }

    long filesDeleted() {
        return out.filesDeleted();
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
        return out.path();
    }

    /** Asks the thread to drain up to {@code end} and stop by {@code deadline} (nanoTime). */
    void close(long end, long deadline) {
        closeDeadline = deadline;
        closeEnd = end;
    }

    @Override
    public void run() {
        long now = System.nanoTime();
        out.open(now);
        nextRetention = now + RETENTION_EVERY_NANOS;
        while (closeEnd == UNSET) {
            try {
                round();
            } catch (Throwable t) {
                out.internalError(t);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // never spin on a persistent error
            }
        }
        try {
            finish();
        } catch (Throwable t) {
            out.internalError(t);
        } finally {
            finished = true;
        }
    }

    private void round() {
        noteOccupancy(ring.claimed() - next);
        int n = out.faulted ? 0 : drain(MAX_DRAIN, Long.MAX_VALUE);
        if (n > 0 && emptySince != UNSET) {
            out.pendingSinceAtMost(emptySince); // they may have waited in the ring since the writer parked
        }
        emptySince = UNSET;
        long now = System.nanoTime();
        if (out.faulted) {
            if (out.retryDue(now)) {
                retry(now);
            }
        } else {
            long req = flushRequested.get();
            if (req > flushedTo) {
                out.write(now);
                if (!out.faulted) {
                    flushedTo = next;
                }
            } else if (out.flushDue(now)) {
                out.write(now);
            }
            out.rollIfIdle(now);
            noteDrops(now);
            if (now - nextRetention >= 0) {
                nextRetention = now + RETENTION_EVERY_NANOS;
                out.runRetention();
            }
        }
        if (n == 0) {
            idle(now);
        }
    }

    /** Takes up to {@code max} published records below {@code end}; stops early on a fault. */
    private int drain(int max, long end) {
        int n = 0;
        while (n < max && next < end) {
            if (next >= touchedTo) {
                touchAhead(end);
            }
            Record r = ring.peek(next);
            if (r == null || !out.append(r)) {
                break;
            }
            if (r.slot() < 0) {
                observe(r); // handed over: once, now that it is taken for good
            }
            ring.release(next); // clears the record, or gives a handed-over one back to its pool
            next++;
            n++;
        }
        return n;
    }

    /**
     * Reads the next {@value #TOUCH_AHEAD} published records' fields and strings before any of
     * them is encoded ({@link Record#touch()}). They were written by the application's threads,
     * on another core or long enough ago to have left the caches; read one at a time by the
     * encoder each is a chain of misses it waits for, read here together the misses of several
     * records overlap (docs/writer.md#design).
     */
    private void touchAhead(long end) {
        long pos = next;
        long stop = Math.min(end, next + TOUCH_AHEAD);
        int sum = 0;
        for (; pos < stop; pos++) {
            Record r = ring.peek(pos);
            if (r == null) {
                break;
            }
            sum += r.touch();
        }
        touchedTo = pos > next ? pos : next + 1;
        touchSink += sum; // kept, so that the reads are not optimised away
    }

    /** Passes a handed-over record to the observer (the writer thread, once the record is encoded). */
    void observe(Record r) {
        Consumer<Record> o = observer;
        if (o != null) {
            try {
                o.accept(r);
            } catch (Throwable ignored) {
                // the observer counts its own faults; the record is written already
            }
        }
    }

    /** The file works again: say so, with what was dropped meanwhile, on stderr and in the file. */
    private void retry(long now) {
        long seconds = out.retry(now);
        if (seconds < 0) {
            return;
        }
        long dropped = totalDropped() - reportedDropped; // the fault's drops and any not yet reported
        String msg = "rpctrace: writing " + out.path() + " again after " + seconds + " s; " + dropped
                + " records were dropped";
        settings.diagnostics.println(msg);
        writeNotice(msg, dropped);
        reportedDropped = totalDropped();
        out.runRetention();
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
        out.append(r);
        notice.reset();
    }

    /**
     * Nothing to take: sleeps until the batch is due, or for a whole flush interval when nothing
     * is pending. Records published meanwhile wait in the ring; the next drain dates them from
     * when the writer went to sleep, so none waits longer than {@code flush.interval.ms}. A burst
     * wakes the thread early (every eighth of the ring, {@link RingFileWriter#claim()}), as do
     * {@code flush()} and close. So a service with a trickle of records wakes its writer about
     * once per flush interval, not at a fixed high rate (issue 20: docs/RATIONALE.md, "The writer
     * sleeps until a batch is due").
     */
    private void idle(long now) {
        long wait;
        long pendingSince = out.pendingSince();
        if (flushRequested.get() > flushedTo) {
            wait = TimeUnit.MICROSECONDS.toNanos(50);
        } else if (out.faulted) {
            wait = Math.min(flushNanos, TimeUnit.MILLISECONDS.toNanos(10)); // retries are checked each round
        } else if (pendingSince != UNSET) {
            wait = Math.max(1000, pendingSince + flushNanos - now);
        } else {
            wait = flushNanos;
            emptySince = now;
        }
        parked = true;
        if (ring.peek(next) == null && closeEnd == UNSET) {
            parks++;
            LockSupport.parkNanos(this, wait);
        }
        parked = false;
    }

    /** Close: drain everything claimed before close, write, force, and count what could not be kept. */
    private void finish() {
        long end = closeEnd;
        long deadline = closeDeadline;
        if (out.faulted) {
            retry(System.nanoTime()); // one last attempt; a broken disk must not hold up the exit
        }
        while (!out.faulted && next < end && System.nanoTime() - deadline < 0) {
            if (drain(MAX_DRAIN, end) == 0) {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20)); // a producer is still filling its slot
            }
        }
        if (!out.faulted) {
            noteDrops(System.nanoTime() + flushNanos);
            out.write(System.nanoTime());
        }
        out.close();
        long lost = end - next + out.batchRecords();
        if (lost > 0) {
            droppedAtClose += lost;
            settings.diagnostics.println("rpctrace: " + lost + " records could not be written to " + out.path()
                    + " before shutdown");
        }
        flushedTo = Long.MAX_VALUE;
    }

    private long totalDropped() {
        return producerDrops.getAsLong() + droppedByWriter();
    }
}
