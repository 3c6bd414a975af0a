package io.rpctrace.viewer;

import java.nio.charset.StandardCharsets;

/**
 * Looks at a record line's bytes without parsing it. The encoder writes {@code x_name} first
 * (docs/record.md#fields key order), so {@code errors} and {@code slow} can reject most lines by name
 * before paying for a parse; a line in another shape is simply parsed.
 */
final class LinePeek {
    private static final byte[] NAME_PREFIX = "{\"x_name\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final Needle DURATION = new Needle("\"x_duration\":".getBytes(StandardCharsets.US_ASCII));

    private LinePeek() {
    }

    /** Index of the first byte of the {@code x_name} value when the line starts with it, else -1. */
    static int nameStart(byte[] b, int from, int to) {
        int n = NAME_PREFIX.length;
        if (to - from < n) {
            return -1;
        }
        for (int i = 0; i < n; i++) {
            if (b[from + i] != NAME_PREFIX[i]) {
                return -1;
            }
        }
        return from + n;
    }

    /** End (exclusive) of the name starting at {@code start}: the closing quote, or -1. */
    static int nameEnd(byte[] b, int start, int to) {
        for (int i = start; i < to; i++) {
            if (b[i] == '"') {
                return i;
            }
            if (b[i] == '\\') {
                return -1; // an escaped name: let the parser decide
            }
        }
        return -1;
    }

    static boolean equals(byte[] b, int start, int end, byte[] text) {
        if (end - start != text.length) {
            return false;
        }
        for (int i = 0; i < text.length; i++) {
            if (b[start + i] != text[i]) {
                return false;
            }
        }
        return true;
    }

    static boolean startsWith(byte[] b, int start, int end, byte[] text) {
        return end - start >= text.length && equals(b, start, start + text.length, text);
    }

    static boolean endsWith(byte[] b, int start, int end, byte[] text) {
        return end - start >= text.length && equals(b, end - text.length, end, text);
    }

    /** True when {@code text} occurs in {@code b[from, to)}. */
    static boolean contains(byte[] b, int from, int to, Needle text) {
        return text.indexOf(b, from, to) >= 0;
    }

    /** The number after {@code "x_duration":} on the line, or -1 when absent or unreadable. */
    static double duration(byte[] b, int from, int to) {
        int at = DURATION.indexOf(b, from, to);
        if (at < 0) {
            return -1;
        }
        int i = at + DURATION.length();
        int j = i;
        while (j < to && (b[j] >= '0' && b[j] <= '9' || b[j] == '.' || b[j] == 'e' || b[j] == 'E'
                || b[j] == '-' || b[j] == '+')) {
            j++;
        }
        if (j == i) {
            return -1;
        }
        try {
            return Double.parseDouble(new String(b, i, j - i, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
