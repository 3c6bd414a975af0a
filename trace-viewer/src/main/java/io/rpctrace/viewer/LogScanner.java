package io.rpctrace.viewer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Streams a log through one reusable buffer and hands selected lines to a {@link LineSink}.
 *
 * <p>With a {@link Needle} only lines containing it are selected, and the search runs over
 * the whole buffer rather than line by line: lines are only delimited around a hit, so the
 * cost of a scan is the cost of the byte search. Without a needle every non-empty line is
 * selected.
 *
 * <p>Design note: memory is one buffer per scanner whatever the log size. The buffer
 * starts at 1 MiB; a line that does not fit doubles it up to {@link #MAX_LINE_BYTES}, and a
 * longer line is skipped and counted rather than read into memory.
 */
final class LogScanner {
    static final int INITIAL_BUFFER = 1 << 20;
    static final int MAX_LINE_BYTES = 16 << 20;

    private final Needle needle;
    private final int maxLineBytes;
    private final LineSink sink;
    private final ScanStats stats;
    private byte[] buf;
    /** {@link #buf} read as little-endian words: newlines eight bytes at a time, the needle's grams four. */
    private ByteBuffer words;

    /**
     * @param needle what a selected line contains, or null to select every line
     */
    LogScanner(Needle needle, LineSink sink, ScanStats stats) {
        this(needle, sink, stats, INITIAL_BUFFER, MAX_LINE_BYTES);
    }

    LogScanner(Needle needle, LineSink sink, ScanStats stats, int initialBuffer, int maxLineBytes) {
        this.needle = needle;
        this.maxLineBytes = maxLineBytes;
        this.sink = sink;
        this.stats = stats;
        setBuffer(new byte[initialBuffer]);
    }

    private void setBuffer(byte[] b) {
        buf = b;
        words = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Reads {@code in} to its end; does not close it. */
    void scan(InputStream in, String source) throws IOException {
        int limit = 0;
        boolean eof = false;
        boolean skippingLongLine = false;
        while (!eof) {
            int n = in.read(buf, limit, buf.length - limit);
            if (n < 0) {
                eof = true;
            } else {
                limit += n;
                stats.bytes.addAndGet(n);
            }
            int start = 0;
            if (skippingLongLine) {
                int nl = indexOfNewline(buf, 0, limit);
                if (nl < 0) {
                    limit = 0;
                    continue;
                }
                start = nl + 1;
                skippingLongLine = false;
            }
            // Lines in [start, cut) are complete; [cut, limit) is the start of the next one.
            int cut = eof ? limit : lastNewline(start, limit) + 1;
            if (cut > start) {
                if (needle != null) {
                    selectMatching(start, cut, source);
                } else {
                    selectAll(start, cut, source);
                }
            }
            if (eof) {
                break;
            }
            int tail = limit - cut;
            if (tail == buf.length) {
                if (buf.length < maxLineBytes) {
                    setBuffer(Arrays.copyOf(buf, buf.length * 2));
                } else {
                    stats.oversized.incrementAndGet();
                    skippingLongLine = true;
                    limit = 0;
                }
                continue;
            }
            System.arraycopy(buf, cut, buf, 0, tail);
            limit = tail;
        }
    }

    private void selectMatching(int start, int end, String source) {
        final byte[] b = buf;
        int pos = start;
        while (pos < end) {
            int hit = needle.indexOf(words, pos, end);
            if (hit < 0) {
                return;
            }
            int lineStart = hit;
            while (lineStart > pos && b[lineStart - 1] != '\n') {
                lineStart--;
            }
            int lineEnd = indexOfNewline(b, hit + needle.length(), end);
            if (lineEnd < 0) {
                lineEnd = end;
            }
            stats.candidates.incrementAndGet();
            sink.line(b, lineStart, withoutCr(b, lineStart, lineEnd), source);
            pos = lineEnd + 1;
        }
    }

    private void selectAll(int start, int end, String source) {
        final byte[] b = buf;
        int pos = start;
        while (pos < end) {
            int lineEnd = nextNewline(pos, end);
            if (lineEnd < 0) {
                lineEnd = end;
            }
            int to = withoutCr(b, pos, lineEnd);
            if (to > pos) {
                sink.line(b, pos, to, source);
            }
            pos = lineEnd + 1;
        }
    }

    private int lastNewline(int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return from - 1;
    }

    private static int withoutCr(byte[] b, int from, int to) {
        return to > from && b[to - 1] == '\r' ? to - 1 : to;
    }

    /**
     * {@link #indexOfNewline} eight bytes at a time: {@code errors} and {@code slow} delimit
     * every line, and a byte loop would be their bottleneck. The classic has-zero-byte test
     * on {@code word ^ 0x0a0a…}: its lowest flagged byte is always a real newline (false
     * flags only appear above a real one), which little-endian order makes the first.
     */
    private int nextNewline(int from, int to) {
        final ByteBuffer w = words;
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = w.getLong(i) ^ 0x0a0a0a0a0a0a0a0aL;
            long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        return indexOfNewline(buf, i, to);
    }

    static int indexOfNewline(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
