package io.rpctrace.viewer;

import java.nio.charset.StandardCharsets;

/**
 * A byte pattern found with Boyer-Moore-Horspool. The viewer looks for a trace id this way
 * before it parses anything: on typical record lines the search advances 15-30 bytes per
 * comparison, which is what lets a scan run faster than the page cache can be copied.
 */
final class Needle {
    private final byte[] pattern;
    private final int[] shift = new int[256];

    Needle(byte[] pattern) {
        if (pattern.length == 0) {
            throw new IllegalArgumentException("empty pattern");
        }
        this.pattern = pattern.clone();
        int m = pattern.length;
        java.util.Arrays.fill(shift, m);
        for (int i = 0; i < m - 1; i++) {
            shift[pattern[i] & 0xff] = m - 1 - i;
        }
    }

    /** The pattern {@code "<traceId>"}, quotes included, so {@code abc} does not match {@code abcd}. */
    static Needle quoted(String text) {
        return new Needle(("\"" + text + "\"").getBytes(StandardCharsets.UTF_8));
    }

    int length() {
        return pattern.length;
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
}
