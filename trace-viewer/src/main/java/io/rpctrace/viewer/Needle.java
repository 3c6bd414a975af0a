package io.rpctrace.viewer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A byte pattern, found before anything is parsed. Two searches:
 *
 * <ul>
 *   <li>{@link #indexOf(byte[], int, int)}: Boyer-Moore-Horspool, for short patterns and short
 *       ranges (a field on one line).</li>
 *   <li>{@link #indexOf(ByteBuffer, int, int)}: for the scan of a whole buffer, sampling when
 *       the pattern has at least {@link #MIN_SAMPLED} bytes. Every occurrence of an
 *       {@code m}-byte pattern contains the eight bytes at one of the positions {@code from,
 *       from + (m - 7), from + 2(m - 7), ...}, and those eight bytes are then one of the
 *       pattern's {@code m - 7} eight-byte grams. So the search reads one {@code long} every
 *       {@code m - 7} bytes (27 for a quoted 32-hex trace id) and tests it against a hash
 *       filter of the pattern's grams; only a gram that passes is compared. Unlike Horspool,
 *       whose next position depends on the byte just read, the reads are at fixed strides:
 *       independent, so the processor overlaps them, and the loop runs at the speed of
 *       memory rather than at one load latency per step.</li>
 * </ul>
 */
final class Needle {
    /** Patterns shorter than this use Horspool everywhere (the sampling stride would be short). */
    static final int MIN_SAMPLED = 16;
    private static final int GRAM = 8;
    private static final int FILTER_BITS = 12;

    private final byte[] pattern;
    private final int[] shift = new int[256];
    /** The pattern's grams: {@code grams[j]} is the eight bytes at {@code j}, read little-endian. */
    private final long[] grams;
    /** One bit per {@link #filterIndex} value of a gram of the pattern; false positives are compared away. */
    private final long[] filter;

    Needle(byte[] pattern) {
        if (pattern.length == 0) {
            throw new IllegalArgumentException("empty pattern");
        }
        this.pattern = pattern.clone();
        int m = pattern.length;
        Arrays.fill(shift, m);
        for (int i = 0; i < m - 1; i++) {
            shift[pattern[i] & 0xff] = m - 1 - i;
        }
        if (m >= MIN_SAMPLED) {
            ByteBuffer p = ByteBuffer.wrap(this.pattern).order(ByteOrder.LITTLE_ENDIAN);
            grams = new long[m - GRAM + 1];
            filter = new long[(1 << FILTER_BITS) / 64];
            for (int j = 0; j < grams.length; j++) {
                grams[j] = p.getLong(j);
                int f = filterIndex(grams[j]);
                filter[f >>> 6] |= 1L << f;
            }
        } else {
            grams = null;
            filter = null;
        }
    }

    /** The pattern {@code "<traceId>"}, quotes included, so {@code abc} does not match {@code abcd}. */
    static Needle quoted(String text) {
        return new Needle(("\"" + text + "\"").getBytes(StandardCharsets.UTF_8));
    }

    int length() {
        return pattern.length;
    }

    /** Whether {@link #indexOf(ByteBuffer, int, int)} samples (long patterns) rather than reads every byte. */
    boolean sampled() {
        return grams != null;
    }

    private static int filterIndex(long gram) {
        return (int) ((gram * 0x9E3779B97F4A7C15L) >>> (64 - FILTER_BITS));
    }

    /** The first index in {@code [from, to)} where the whole pattern fits and matches, or -1. */
    int indexOf(byte[] a, int from, int to) {
        final byte[] p = pattern;
        final int[] s = shift;
        final int m = p.length;
        final byte last = p[m - 1];
        int i = from + m - 1;
        while (i < to) {
            byte b = a[i];
            if (b == last) {
                int j = m - 2;
                int k = i - 1;
                while (j >= 0 && a[k] == p[j]) {
                    j--;
                    k--;
                }
                if (j < 0) {
                    return i - m + 1;
                }
            }
            i += s[b & 0xff];
        }
        return -1;
    }

    /**
     * {@link #indexOf(byte[], int, int)} over a buffer (heap or direct) whose byte order is
     * little-endian, by sampling for patterns of {@link #MIN_SAMPLED} bytes or more.
     * Absolute reads: the buffer's position and limit are not used.
     */
    int indexOf(ByteBuffer b, int from, int to) {
        if (b.order() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalArgumentException("the buffer must be little-endian");
        }
        if (grams == null) {
            return indexOfBytes(b, from, to);
        }
        final long[] f = filter;
        final int stride = grams.length;
        // an occurrence at s contains exactly one sampled position t in [s, s + stride)
        for (int t = from; t + GRAM <= to; t += stride) {
            long w = b.getLong(t);
            int h = filterIndex(w);
            if ((f[h >>> 6] & (1L << h)) != 0) {
                int at = occurrenceAround(b, t, w, from, to);
                if (at >= 0) {
                    return at;
                }
            }
        }
        return -1;
    }

    /** The first occurrence in {@code [from, to)} whose gram at sampled position {@code t} is {@code w}, or -1. */
    private int occurrenceAround(ByteBuffer b, int t, long w, int from, int to) {
        final long[] g = grams;
        // larger j first: the occurrence t - j that starts earliest
        for (int j = g.length - 1; j >= 0; j--) {
            int s = t - j;
            if (g[j] == w && s >= from && s + pattern.length <= to && matchesAt(b, s)) {
                return s;
            }
        }
        return -1;
    }

    private boolean matchesAt(ByteBuffer b, int at) {
        final byte[] p = pattern;
        for (int j = 0; j < p.length; j++) {
            if (b.get(at + j) != p[j]) {
                return false;
            }
        }
        return true;
    }

    /** A short pattern in a buffer: Horspool on a heap buffer's array, else byte by byte. */
    private int indexOfBytes(ByteBuffer b, int from, int to) {
        if (b.hasArray()) {
            int off = b.arrayOffset();
            int at = indexOf(b.array(), off + from, off + to);
            return at < 0 ? -1 : at - off;
        }
        final byte first = pattern[0];
        for (int s = from; s + pattern.length <= to; s++) {
            if (b.get(s) == first && matchesAt(b, s)) {
                return s;
            }
        }
        return -1;
    }
}
