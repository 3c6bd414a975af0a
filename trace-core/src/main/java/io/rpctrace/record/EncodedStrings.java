package io.rpctrace.record;

import java.io.IOException;

/**
 * The bytes Jackson wrote for recently encoded {@code String} instances, so that a value seen
 * again is copied instead of escaped again. One per {@link RecordEncoder} (not thread-safe).
 *
 * <p>Design note (hot path): most string values of a record are the very same {@code String}
 * instances record after record: the record name, version, module, host, database, the SQL
 * text of a prepared statement, the trace id of a request. This small direct-mapped cache,
 * keyed by identity, keeps the bytes Jackson produced for each of them, so a repeated value
 * costs one array copy instead of a per-character escape loop. Strings are immutable, so an
 * identity hit always has the right bytes; a miss (or a collision) is just Jackson's normal
 * path plus one copy into the cache.
 */
final class EncodedStrings {
    /** Cache slots (a power of two) and the most encoded bytes one slot holds. */
    private static final int SLOTS = 256;
    private static final int STRIDE = 128;

    private final String[] keys = new String[SLOTS];
    private final int[] lens = new int[SLOTS];
    private final byte[] bytes = new byte[SLOTS * STRIDE];

    /**
     * Writes {@code value} ({@code n} characters) as a string value through the cache: a hit
     * copies the bytes Jackson wrote for this very instance before; a miss lets Jackson write
     * it and keeps a copy when it fits.
     */
    void write(LineGenerator gen, LineOverflow overflow, String value, int n) throws IOException {
        // Design note: the hit path is kept this small so that the JIT inlines it at every field.
        if (n <= STRIDE) {
            int slot = System.identityHashCode(value) & (SLOTS - 1);
            if (keys[slot] == value) {
                gen.writeRawUTF8String(bytes, slot * STRIDE, lens[slot]);
            } else {
                writeAndRemember(gen, overflow, value, slot);
            }
        } else {
            gen.writeString(value);
        }
    }

    /** A cache miss: Jackson writes the value, and its bytes are kept in {@code slot}. */
    private void writeAndRemember(LineGenerator gen, LineOverflow overflow, String value, int slot)
            throws IOException {
        int start = gen.outputTail();
        int spills = overflow.count;
        gen.writeString(value);
        int end = gen.outputTail();
        byte[] b = gen.outputBuffer();
        // Jackson wrote ':' '"' escaped-bytes '"' (we are always inside an object, after a name).
        int len = end - start - 3;
        if (overflow.count == spills && len >= 0 && len <= STRIDE
                && b[start] == ':' && b[start + 1] == '"' && b[end - 1] == '"') {
            System.arraycopy(b, start + 2, bytes, slot * STRIDE, len);
            lens[slot] = len;
            keys[slot] = value;
        }
    }
}
