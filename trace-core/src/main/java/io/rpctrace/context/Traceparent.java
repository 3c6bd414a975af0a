package io.rpctrace.context;

import java.nio.charset.StandardCharsets;

/**
 * The W3C {@code traceparent} that {@link Propagation#inject} writes with rpctrace's ids
 * (docs/propagation.md#headers): {@code 00-<trace-id>-<parent-id>-01}, the trace id as it is when
 * it is 32 hex (lower-cased), else a stable 128-bit hash of it, so every hop of one trace maps to
 * the same W3C trace id; the parent id a stable 64-bit hash of trace id and call id. Pure
 * functions over the ids; the public entry points are {@link Propagation#traceparent} and
 * {@link Propagation#traceparentBytes}.
 */
final class Traceparent {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private Traceparent() {
    }

    /**
     * The 55 ASCII bytes of {@code 00-<trace-id>-<parent-id>-01} with the parent id's hash
     * {@code parent} already computed ({@link #parentHash}).
     */
    static byte[] bytes(String traceId, long parent) {
        // Design note: written into one array; the hash of "traceId/callRpcId" is computed
        // over the two parts without concatenating them (same value as before, no garbage).
        byte[] c = new byte[55];
        c[0] = '0';
        c[1] = '0';
        c[2] = '-';
        if (TraceId.isW3c(traceId)) {
            for (int i = 0; i < 32; i++) {
                char ch = traceId.charAt(i);
                c[3 + i] = (byte) (ch >= 'A' && ch <= 'F' ? ch + ('a' - 'A') : ch);
            }
        } else {
            hexInto(hash64(traceId, 0x9E3779B97F4A7C15L), c, 3);
            hexInto(hash64(traceId, 0xC2B2AE3D27D4EB4FL), c, 19);
        }
        c[35] = '-';
        hexInto(parent == 0 ? 1 : parent, c, 36);
        c[52] = '-';
        c[53] = '0';
        c[54] = '1';
        return c;
    }

    /** {@code hash64(traceId + '/' + callRpcId, seed)} without building the string. */
    static long parentHash(String traceId, String callRpcId) {
        long h = 0x165667B19E3779F9L ^ (traceId.length() + 1 + callRpcId.length());
        h = mix(h, traceId);
        h ^= '/';
        h *= 0x100000001B3L;
        h = Long.rotateLeft(h, 31);
        return fmix(mix(h, callRpcId));
    }

    /** {@link #parentHash(String, String)} of the call id {@code prefix.seq}, without building it. */
    static long parentHash(String traceId, String prefix, int seq) {
        int idLength = seq < 0 ? prefix.length() : prefix.length() + 1 + RpcId.digits(seq);
        long h = 0x165667B19E3779F9L ^ (traceId.length() + 1 + idLength);
        h = mix(h, traceId);
        h ^= '/';
        h *= 0x100000001B3L;
        h = Long.rotateLeft(h, 31);
        h = mix(h, prefix);
        if (seq >= 0) {
            h ^= '.';
            h *= 0x100000001B3L;
            h = Long.rotateLeft(h, 31);
            for (int d = RpcId.digits(seq) - 1; d >= 0; d--) {
                h ^= '0' + digit(seq, d);
                h *= 0x100000001B3L;
                h = Long.rotateLeft(h, 31);
            }
        }
        return fmix(h);
    }

    /** Decimal digit {@code d} (0: the units) of {@code v}. */
    private static int digit(int v, int d) {
        for (int i = 0; i < d; i++) {
            v /= 10;
        }
        return v % 10;
    }

    private static void hexInto(long v, byte[] out, int at) {
        for (int i = 15; i >= 0; i--) {
            out[at + i] = HEX[(int) (v & 0xF)];
            v >>>= 4;
        }
    }

    private static long hash64(String s, long seed) {
        return fmix(mix(seed ^ s.length(), s));
    }

    private static long mix(long h, String s) {
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001B3L;
            h = Long.rotateLeft(h, 31);
        }
        return h;
    }

    private static long fmix(long h) {
        // murmur3 fmix64
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
