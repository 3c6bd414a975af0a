package io.rpctrace.bench.writer;

import io.rpctrace.record.Record;
import io.rpctrace.writer.RingFileWriter;
import io.rpctrace.writer.WriterSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One typical record (a {@code mysql.request}, the same fields and values on both sides)
 * written from the calling thread by rpctrace's default writer or by Log4j2 (AsyncLogger +
 * JsonTemplateLayout, see {@code log4j2-writer-bench.xml}), to a file in {@code dir}.
 */
abstract class TraceSink implements AutoCloseable {
    static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String NAME = "mysql.request";
    static final String MODULE = "order_dao_find";
    static final String HOST = "127.0.0.1:3306";
    static final String DB = "shop";
    static final String CODE = "0";
    static final String ACTION = "select * from orders where id = ?";

    final Path file;

    TraceSink(Path file) {
        this.file = file;
    }

    static TraceSink open(String kind, Path dir, boolean blocking) {
        switch (kind) {
            case "rpctrace": return new Rpctrace(dir, blocking);
            case "log4j2": return new Log4j2(dir);
            default: throw new IllegalArgumentException(kind);
        }
    }

    /** Writes one typical record from the calling thread. */
    abstract void write();

    /** Records the sink dropped (rpctrace counts them; Log4j2 blocks instead of dropping). */
    long dropped() {
        return 0;
    }

    /** Pushes what is buffered towards the file (rpctrace: flush; Log4j2 flushes at end of batch). */
    void flush() {
    }

    @Override
    public abstract void close();

    long size() {
        try {
            return Files.exists(file) ? Files.size(file) : 0; // the writer thread creates it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the file holds at least {@code bytes} bytes. */
    void awaitSize(long bytes) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        flush();
        while (size() < bytes) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(file + " has " + size() + " bytes, expected " + bytes);
            }
            flush();
            Thread.onSpinWait();
        }
    }

    static final class Rpctrace extends TraceSink {
        private final RingFileWriter writer;

        Rpctrace(Path dir, boolean blocking) {
            this(settings(dir, blocking));
        }

        private Rpctrace(WriterSettings s) {
            super(s.dir.resolve(s.service + ".trace.log"));
            writer = new RingFileWriter(s);
        }

        private static WriterSettings settings(Path dir, boolean blocking) {
            WriterSettings s = WriterSettings.defaults(dir, "bench"); // ring.size 16384, buffer.size 1 MiB
            s.version = "java-order-1.4";
            s.pid = "12345";
            s.blocking = blocking;
            s.fileMaxBytes = 0; // no rolling in a benchmark
            s.rollIntervalMs = 0;
            s.retentionDays = 0;
            s.dirMaxBytes = 0;
            return s;
        }

        @Override
        void write() {
            Record r = writer.claim();
            if (r != null) {
                try {
                    r.name(NAME).traceId(TRACE_ID).rpcId("0", 2).timestampMs(System.currentTimeMillis())
                            .durationNanos(731_000).module(MODULE).threadId(Thread.currentThread().getId())
                            .host(HOST).db(DB).code(CODE).action(ACTION).responseLen(1);
                } finally {
                    writer.publish(r);
                }
            }
        }

        @Override
        long dropped() {
            return writer.dropped();
        }

        @Override
        void flush() {
            writer.flush();
        }

        @Override
        public void close() {
            writer.close();
        }
    }

    static final class Log4j2 extends TraceSink {
        // Boxed once: the record's numbers are constants on both sides.
        private static final Double DURATION = 0.000731;
        private static final Long RESPONSE_LEN = 1L;
        private final Logger logger;

        Log4j2(Path dir) {
            super(dir.resolve("bench.log4j2.log"));
            System.setProperty("rpctrace.bench.log4j.file", file.toString());
            logger = LogManager.getLogger("io.rpctrace.bench");
            if (!logger.getClass().getName().contains("AsyncLogger")) {
                throw new IllegalStateException("not an AsyncLogger: " + logger.getClass()
                        + " (start with -Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector)");
            }
        }

        @Override
        void write() {
            logger.info(NAME, NAME, TRACE_ID, "0.2", DURATION, MODULE, HOST, DB, CODE, ACTION, RESPONSE_LEN);
        }

        @Override
        public void close() {
            LogManager.shutdown();
        }
    }
}
