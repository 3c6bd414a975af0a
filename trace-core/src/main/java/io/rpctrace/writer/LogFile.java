package io.rpctrace.writer;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The active log file {@code <dir>/<service>.trace.log}, appended in whole batches of lines,
 * and its rolling: on clock boundaries of the roll interval (hourly by default, in the
 * clock's time zone) and before a write would push it past the size cap. A rolled file is
 * renamed {@code <service>.trace.log.<yyyy-MM-dd-HH>} after the period it covers, with
 * {@code .1}, {@code .2}... when a period has several.
 *
 * <p>Only the writer thread uses it. A failed write is undone (the file is truncated back to
 * its last whole line) and the channel closed; the next write reopens the file, creating the
 * directory again when it is missing.
 */
final class LogFile {
    private final Path dir;
    private final Path path;
    private final File file;
    private final String name;
    private final long maxBytes;
    private final long rollIntervalMs;
    private final Clock clock;
    private final DateTimeFormatter suffix;

    private FileChannel channel;
    private long size;
    /** Start of the period the open file belongs to. */
    private long periodStart;
    /**
     * When that period ends: checked on every batch and idle tick without allocating (the
     * zone rules are consulted only when a period starts).
     */
    private long periodEnd = Long.MAX_VALUE;
    /** Files rolled so far (written by the writer thread only, read by the metrics thread). */
    private volatile long rolled;

    LogFile(Path dir, String name, long maxBytes, long rollIntervalMs, Clock clock) {
        this.dir = dir;
        this.name = name;
        this.path = dir.resolve(name);
        this.file = path.toFile();
        this.maxBytes = maxBytes;
        this.rollIntervalMs = rollIntervalMs;
        this.clock = clock;
        this.suffix = DateTimeFormatter.ofPattern(rollIntervalMs > 0 && rollIntervalMs < 3_600_000L
                ? "yyyy-MM-dd-HH-mm" : "yyyy-MM-dd-HH").withZone(clock.getZone());
    }

    Path path() {
        return path;
    }

    /** Files rolled so far. */
    long rolled() {
        return rolled;
    }

    boolean isOpen() {
        return channel != null;
    }

    /** Bytes in the open file (what rpctrace knows it holds). */
    long size() {
        return size;
    }

    /** Opens (or reopens) the file for appending; an existing file from an earlier period is rolled first. */
    void open() throws IOException {
        closeQuietly();
        Files.createDirectories(dir);
        long now = clock.millis();
        if (Files.isRegularFile(path) && Files.size(path) > 0) {
            long lastModified = Files.getLastModifiedTime(path).toMillis();
            if (rollIntervalMs > 0 && periodOf(lastModified) != periodOf(now)) {
                rename(periodOf(lastModified));
            }
        }
        try (FileChannel repair = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            repairTornTail(repair);
        }
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        try {
            size = ch.size();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        channel = ch;
        startPeriod(now);
    }

    private void startPeriod(long now) {
        periodStart = periodOf(now);
        periodEnd = rollIntervalMs > 0 ? periodStart + rollIntervalMs : Long.MAX_VALUE;
    }

    /**
     * A crash (SIGKILL, power loss) in the middle of a write can leave a partial last line;
     * cut it off so the file holds whole lines only.
     */
    private static long repairTornTail(FileChannel ch) throws IOException {
        long n = ch.size();
        if (n == 0) {
            return 0;
        }
        ByteBuffer one = ByteBuffer.allocate(8192);
        long end = n;
        while (end > 0) {
            int len = (int) Math.min(one.capacity(), end);
            one.clear().limit(len);
            ch.read(one, end - len);
            for (int i = len - 1; i >= 0; i--) {
                if (one.get(i) == '\n') {
                    long keep = end - len + i + 1;
                    if (keep != n) {
                        ch.truncate(keep);
                    }
                    return keep;
                }
            }
            end -= len;
        }
        ch.truncate(0);
        return 0;
    }

    /**
     * Appends {@code batch} (whole lines) entirely, rolling first when due. On failure the
     * file is cut back to its size before the call, the channel is closed and the exception
     * propagates; the batch's position is left at 0 so it can be written again.
     */
    void write(ByteBuffer batch) throws IOException {
        if (channel != null && !file.exists()) {
            closeQuietly(); // deleted or moved away under us: start a new file
        }
        if (channel == null) {
            open();
        }
        rollIfDue(batch.remaining());
        long before = size;
        try {
            while (batch.hasRemaining()) {
                channel.write(batch);
            }
            size = before + batch.position();
        } catch (IOException | RuntimeException e) {
            batch.position(0);
            try {
                channel.truncate(before);
            } catch (IOException | RuntimeException ignored) {
                // a torn tail is cut off when the file is opened again
            }
            closeQuietly();
            throw e;
        }
    }

    /** Rolls when the period has ended or {@code incoming} more bytes would pass the size cap. */
    void rollIfDue(long incoming) throws IOException {
        long now = clock.millis();
        if (channel == null || size == 0) {
            if (now >= periodEnd) {
                startPeriod(now);
            }
            return;
        }
        boolean timeUp = now >= periodEnd;
        boolean full = maxBytes > 0 && size + incoming > maxBytes;
        if (timeUp || full) {
            long covered = periodStart;
            closeQuietly();
            rename(covered);
            open();
        }
    }

    /** True when the open, non-empty file belongs to a period that has ended. */
    boolean periodEnded() {
        if (channel == null || size == 0) {
            return false;
        }
        long now = clock.millis();
        return now >= periodEnd;
    }

    private void rename(long period) throws IOException {
        String base = name + "." + suffix.format(Instant.ofEpochMilli(period));
        Path target = dir.resolve(base);
        for (int n = 1; ; n++) {
            try {
                Files.createFile(target); // reserve the name, then move over it
                Files.move(path, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                rolled++; // single writer (the writer thread)
                return;
            } catch (FileAlreadyExistsException e) {
                target = dir.resolve(base + "." + n);
            }
        }
    }

    /** Start of the roll period holding {@code ms} in the clock's zone; 0 when not rolling by time. */
    long periodOf(long ms) {
        if (rollIntervalMs <= 0) {
            return 0;
        }
        ZoneId zone = clock.getZone();
        long offset = zone.getRules().getOffset(Instant.ofEpochMilli(ms)).getTotalSeconds() * 1000L;
        return Math.floorDiv(ms + offset, rollIntervalMs) * rollIntervalMs - offset;
    }

    void force() throws IOException {
        if (channel != null) {
            channel.force(false);
        }
    }

    void closeQuietly() {
        FileChannel ch = channel;
        channel = null;
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing more to do with it
            }
        }
    }
}
