package io.rpctrace.writer;

import io.rpctrace.config.Config;
import io.rpctrace.config.ConfigKeys;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;

/**
 * The ring writer's settings, read once from {@link Config} (bad values are reported there and
 * replaced by the defaults below). Tests build one directly and may swap the clock and the
 * diagnostics stream.
 *
 * <pre>{@code
 * WriterSettings s = WriterSettings.defaults(Paths.get("/var/log/app"), "orders");
 * s.flushIntervalMs = 200;
 * RecordWriter w = new RingFileWriter(s);
 * }</pre>
 */
public final class WriterSettings {
    public static final long DEFAULT_FLUSH_INTERVAL_MS = 1000;
    public static final long MAX_FLUSH_INTERVAL_MS = 2000;
    public static final int DEFAULT_BUFFER_SIZE = 1 << 20;
    public static final int DEFAULT_RING_SIZE = 16384;
    public static final int DEFAULT_RECORD_MAX_BYTES = 64 * 1024;
    public static final int DEFAULT_RETENTION_DAYS = 7;
    public static final long DEFAULT_FILE_MAX_BYTES = 1L << 30;
    public static final long DEFAULT_ROLL_INTERVAL_MS = 3_600_000L;
    public static final long DEFAULT_DIR_MAX_BYTES = 10L << 30;

    /** {@code log.dir}. */
    public Path dir;
    /** The file is {@code <service>.trace.log}. */
    public String service;
    public String department;
    public String version;
    public String pid = "0";
    /** {@code flush.interval.ms}: the longest a written record waits in memory (1..2000). */
    public long flushIntervalMs = DEFAULT_FLUSH_INTERVAL_MS;
    /** {@code buffer.size}: bytes per write; at least {@link #recordMaxBytes}. */
    public int bufferSize = DEFAULT_BUFFER_SIZE;
    /** {@code ring.size}: records in flight between the application and the writer thread (rounded up to a power of two). */
    public int ringSize = DEFAULT_RING_SIZE;
    /** {@code writer.blocking}: wait for room instead of dropping when the ring is full (tests, batch jobs). */
    public boolean blocking;
    /** {@code record.max.bytes}: longer lines are truncated by the encoder. */
    public int recordMaxBytes = DEFAULT_RECORD_MAX_BYTES;
    /** {@code retention.days}: rolled files older than this are deleted; 0 keeps them. */
    public int retentionDays = DEFAULT_RETENTION_DAYS;
    /** {@code file.max.bytes}: the file is rolled before it would grow past this; 0 for no cap. */
    public long fileMaxBytes = DEFAULT_FILE_MAX_BYTES;
    /** {@code file.roll.interval}: the file is rolled on these clock boundaries (1h); 0 for never. */
    public long rollIntervalMs = DEFAULT_ROLL_INTERVAL_MS;
    /** {@code dir.max.bytes}: oldest rolled files are deleted while this service's files exceed it; 0 for no cap. */
    public long dirMaxBytes = DEFAULT_DIR_MAX_BYTES;
    /** How long close (the shutdown hook) may take to drain, write and force. */
    public long closeTimeoutMs = 5000;
    /** Wall clock for rolling and retention. */
    public Clock clock = Clock.systemDefaultZone();
    /** Where faults and recoveries are said, once each. */
    public PrintStream diagnostics = System.err;

    /** Settings with every default, for {@code <dir>/<service>.trace.log}. */
    public static WriterSettings defaults(Path dir, String service) {
        WriterSettings s = new WriterSettings();
        s.dir = dir;
        s.service = service;
        return s;
    }

    /** Reads the writer keys of {@code config}. */
    public static WriterSettings from(Config config, String service, String department, String version,
                                      String pid) {
        WriterSettings s = defaults(Paths.get(config.get(ConfigKeys.LOG_DIR, "./logs")), service);
        s.department = department;
        s.version = version;
        s.pid = pid;
        s.flushIntervalMs = config.getLong(ConfigKeys.FLUSH_INTERVAL_MS, DEFAULT_FLUSH_INTERVAL_MS, 1,
                MAX_FLUSH_INTERVAL_MS);
        s.recordMaxBytes = (int) config.getBytes(ConfigKeys.RECORD_MAX_BYTES, DEFAULT_RECORD_MAX_BYTES, 1024,
                64L << 20);
        s.bufferSize = (int) config.getBytes(ConfigKeys.BUFFER_SIZE, DEFAULT_BUFFER_SIZE, 4096, 1L << 30);
        s.ringSize = config.getInt(ConfigKeys.RING_SIZE, DEFAULT_RING_SIZE, 16, 1 << 24);
        s.blocking = config.getBoolean(ConfigKeys.WRITER_BLOCKING, false);
        s.retentionDays = config.getInt(ConfigKeys.RETENTION_DAYS, DEFAULT_RETENTION_DAYS, 0, 36500);
        s.fileMaxBytes = config.getBytes(ConfigKeys.FILE_MAX_BYTES, DEFAULT_FILE_MAX_BYTES, 0, Long.MAX_VALUE);
        s.rollIntervalMs = config.getDurationMs(ConfigKeys.FILE_ROLL_INTERVAL, DEFAULT_ROLL_INTERVAL_MS, 60_000L, 0,
                7 * 86_400_000L);
        s.dirMaxBytes = config.getBytes(ConfigKeys.DIR_MAX_BYTES, DEFAULT_DIR_MAX_BYTES, 0, Long.MAX_VALUE);
        return s;
    }

    /** The ring size actually used: a power of two. */
    int ringCapacity() {
        int n = Math.max(16, ringSize);
        return Integer.bitCount(n) == 1 ? n : Integer.highestOneBit(n) << 1;
    }

    /** The batch buffer actually used: large enough for the longest line. */
    int batchCapacity() {
        return Math.max(bufferSize, recordMaxBytes + 1024);
    }

    /** {@code <service>.trace.log}. */
    String fileName() {
        return service + ".trace.log";
    }
}
