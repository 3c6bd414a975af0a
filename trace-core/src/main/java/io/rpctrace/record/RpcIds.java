package io.rpctrace.record;

/** Formats RPC ids and other digit strings straight into bytes for the encoder. */
final class RpcIds {
    /** Longest id {@link #join} writes: a prefix of {@code RpcId.MAX_LENGTH} chars, a dot and 10 digits. */
    static final int MAX_JOINED = 512 + 1 + 20;

    private RpcIds() {
    }

    /**
     * Writes {@code prefix + "." + seq} ({@code prefix} alone when {@code seq < 0}) into
     * {@code out} and returns its length, or -1 when the prefix holds anything but digits and
     * dots or is too long: then the caller writes it as an escaped string.
     */
    static int join(String prefix, int seq, byte[] out) {
        int n = prefix.length();
        if (n > 512) {
            return -1;
        }
        for (int i = 0; i < n; i++) {
            char c = prefix.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                return -1;
            }
            out[i] = (byte) c;
        }
        if (seq < 0) {
            return n;
        }
        out[n] = '.';
        return digits(seq, out, n + 1);
    }

    /** Writes the decimal digits of {@code v} (not negative) at {@code at}; returns the end. */
    static int digits(long v, byte[] out, int at) {
        if (v < 0) {
            v = 0;
        }
        int len = 1;
        for (long x = v; x >= 10; x /= 10) {
            len++;
        }
        int end = at + len;
        for (int p = end - 1; p >= at; p--) {
            out[p] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        return end;
    }
}
