package io.rpctrace.writer;

import io.rpctrace.record.Record;
import io.rpctrace.record.RecordEncoder;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A simple, correct file writer: each producer encodes on its own thread and appends under a
 * lock to {@code <dir>/<service>.trace.log}; a daemon thread flushes every interval. Used
 * where throughput does not matter (tests, tools); the ring writer is the fast one.
 */
public final class SimpleFileWriter implements RecordWriter {
    private final Path file;
    private final ThreadLocal<Record> records = ThreadLocal.withInitial(Record::new);
    private final ThreadLocal<RecordEncoder> encoders;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong written = new AtomicLong();
    private OutputStream out;
    private boolean closed;
    private boolean reported;

    /**
     * @param file the log file, created with its directories when missing
     */
    public SimpleFileWriter(Path file, String department, String version, String pid, int maxBytes,
                            long flushIntervalMs) {
        this.file = file;
        this.encoders = ThreadLocal.withInitial(() -> new RecordEncoder(department, version, pid, maxBytes));
        Thread flusher = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(flushIntervalMs);
                } catch (InterruptedException e) {
                    return;
                }
                flush();
            }
        }, "rpctrace-flush");
        flusher.setDaemon(true);
        flusher.start();
    }

    @Override
    public Record claim() {
        return records.get().reset();
    }

    @Override
    public void publish(Record record) {
        try {
            RecordEncoder enc = encoders.get();
            int len = enc.encode(record);
            synchronized (this) {
                if (closed || !open()) {
                    dropped.incrementAndGet();
                    return;
                }
                out.write(enc.buffer(), 0, len);
                written.incrementAndGet();
            }
        } catch (IOException | RuntimeException e) {
            dropped.incrementAndGet();
            fail(e);
        } finally {
            record.reset();
        }
    }

    private boolean open() {
        if (out != null) {
            return true;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            out = new BufferedOutputStream(new FileOutputStream(file.toFile(), true), 64 * 1024);
            return true;
        } catch (IOException | RuntimeException e) {
            fail(e);
            return false;
        }
    }

    private synchronized void fail(Exception e) {
        if (!reported) {
            reported = true;
            System.err.println("rpctrace: cannot write " + file + ": " + e + "; records are dropped and counted");
        }
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // already failing
            }
            out = null;
        }
    }

    @Override
    public synchronized void flush() {
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                fail(e);
            }
        }
    }

    @Override
    public synchronized void close() {
        flush();
        closed = true;
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
            out = null;
        }
    }

    @Override
    public long dropped() {
        return dropped.get();
    }

    @Override
    public long written() {
        return written.get();
    }
}
