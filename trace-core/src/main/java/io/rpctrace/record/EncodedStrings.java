package io.rpctrace.record;


/**
 * The escaped bytes of recently encoded {@code String} instances, so that a value seen again
 * is copied instead of escaped again. One per {@link RecordEncoder} (not thread-safe).
 *
 * <p>Design note (hot path): most string values of a record are the very same {@code String}
 * instances record after record: the record name, version, module, host, database, the SQL
 * text of a prepared statement, the trace id of a request. This small direct-mapped cache,
 * keyed by identity, keeps the bytes written for each of them, so a repeated value costs one
 * array copy instead of a per-character escape loop. Strings are immutable, so an identity
 * hit always has the right bytes; a miss (or a collision) is just the normal escape plus one
 * copy into the cache.
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
     * copies the bytes written for this very instance before; a miss escapes it and keeps a
     * copy when it fits.
     */
    void write(JsonLine out, String value, int n) {
        // Design note: the hit path is kept this small so that the JIT inlines it at every field.
        if (n <= STRIDE) {
            int slot = System.identityHashCode(value) & (SLOTS - 1);
            if (keys[slot] == value) {
                out.quoted(bytes, slot * STRIDE, lens[slot]);
            } else {
                writeAndRemember(out, value, n, slot);
            }
        } else {
            out.string(value, 0, n);
        }
    }

    /** A cache miss: the value is escaped, and its bytes are kept in {@code slot}. */
    private void writeAndRemember(JsonLine out, String value, int n, int slot) {
        int start = out.pos;
        out.string(value, 0, n);
        int len = out.pos - start - 2; // the bytes between the quotes
        if (!out.over && len >= 0 && len <= STRIDE) {
            System.arraycopy(out.buf, start + 1, bytes, slot * STRIDE, len);
            lens[slot] = len;
            keys[slot] = value;
        }
    }
}
