package io.rpctrace.viewer;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;

/**
 * The id search over one {@link FileRange}'s lines with the file mapped into memory instead
 * of read: on a warm page cache, copying the file into a buffer costs more than searching it.
 *
 * <p>The range's lines are found with {@link FileRange}'s rule (after the first newline at
 * or after {@code start - 1}, up to the first at or after {@code end - 1}) inside a mapping
 * of the range plus {@link #SLACK}. When the range's last line runs past the slack (a line
 * of megabytes, or one longer than the scanner's limit, which the stream counts as
 * oversized), {@link #scan} returns false before delivering anything and the caller reads
 * the range as a stream, so both paths deliver the same lines and counts. Each mapping is
 * released when its range is done, so resident memory stays flat; where it cannot be
 * released (Java 8 has no {@code invokeCleaner}) this path is not used.
 */
final class MappedRange {
    /** How far past its end a range's last line may run and still be read from the mapping. */
    static final int SLACK = 1 << 20;
    private static final Object UNSAFE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method invokeCleaner = null;
        try {
            Class<?> c = Class.forName("sun.misc.Unsafe");
            Field f = c.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            unsafe = f.get(null);
            invokeCleaner = c.getMethod("invokeCleaner", ByteBuffer.class); // Java 9+
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unsafe = null;
            invokeCleaner = null;
        }
        UNSAFE = unsafe;
        INVOKE_CLEANER = invokeCleaner;
    }

    private MappedRange() {
    }

    /** Whether mappings can be released as soon as a range is done. */
    static boolean available() {
        return INVOKE_CLEANER != null;
    }

    /**
     * Searches the lines of {@code file} that start in {@code [start, end)} and hands those
     * containing the needle to {@code sink}; false when the range must be read as a stream
     * instead (nothing was delivered or counted then).
     */
    static boolean scan(String file, long start, long end, Needle needle, LineSink sink, ScanStats stats)
            throws IOException {
        try (FileChannel ch = FileChannel.open(Paths.get(file), StandardOpenOption.READ)) {
            long size = ch.size();
            long mapFrom = start == 0 ? 0 : start - 1;
            if (mapFrom >= size) {
                return true; // the file is shorter than when the ranges were planned: nothing starts here
            }
            long mapTo = end == FileRange.TO_EOF ? size : Math.min(size, end + SLACK);
            if (mapTo - mapFrom > Integer.MAX_VALUE - 8) {
                return false; // a live file that grew by gigabytes since planning: stream it
            }
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, mapFrom, mapTo - mapFrom);
            try {
                m.order(ByteOrder.LITTLE_ENDIAN);
                return scan(m, (int) (mapTo - mapFrom), start == 0, end == FileRange.TO_EOF ? -1 : end - 1 - mapFrom,
                        mapTo == size, needle, sink, stats, file);
            } catch (InternalError e) {
                // the JVM's answer to SIGBUS: the file was truncated under the mapping
                throw new IOException("file shrank while it was read", e);
            } finally {
                release(m);
            }
        }
    }

    /**
     * @param len       mapped bytes
     * @param fromZero  the range starts at the file's first byte (no boundary to find)
     * @param endPoint  the range's end point ({@code end - 1}) relative to the mapping, or -1 for no end
     * @param toEof     the mapping reaches the end of the file
     */
    private static boolean scan(ByteBuffer m, int len, boolean fromZero, long endPoint, boolean toEof, Needle needle,
                                LineSink sink, ScanStats stats, String source) {
        int first = 0;
        if (!fromZero) {
            // the first newline in [start - 1, end - 1): the mapping starts at start - 1
            int nl = newline(m, 0, endPoint < 0 ? len : (int) Math.min(len, endPoint));
            if (nl < 0) {
                return true; // inside a line that started before this range
            }
            first = nl + 1;
        }
        int last = len;
        if (endPoint >= 0 && endPoint < len) {
            int nl = newline(m, (int) Math.max(first, endPoint), len);
            if (nl >= 0) {
                last = nl + 1;
            } else if (!toEof) {
                return false; // the last line runs past the slack
            }
        } else if (endPoint >= 0 && !toEof) {
            return false;
        }
        stats.bytes.addAndGet(last - first);
        int pos = first;
        while (pos < last) {
            int hit = needle.indexOf(m, pos, last);
            if (hit < 0) {
                break;
            }
            int lineStart = hit;
            while (lineStart > pos && m.get(lineStart - 1) != '\n') {
                lineStart--;
            }
            int lineEnd = newline(m, hit + needle.length(), last);
            if (lineEnd < 0) {
                lineEnd = last;
            }
            int to = lineEnd > lineStart && m.get(lineEnd - 1) == '\r' ? lineEnd - 1 : lineEnd;
            byte[] line = new byte[to - lineStart];
            for (int i = 0; i < line.length; i++) {
                line[i] = m.get(lineStart + i);
            }
            stats.candidates.incrementAndGet();
            sink.line(line, 0, line.length, source);
            pos = lineEnd + 1;
        }
        return true;
    }

    private static int newline(ByteBuffer m, int from, int to) {
        for (int i = from; i < to; i++) {
            if (m.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static void release(MappedByteBuffer m) {
        try {
            INVOKE_CLEANER.invoke(UNSAFE, m);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // left to the garbage collector
        }
    }
}
