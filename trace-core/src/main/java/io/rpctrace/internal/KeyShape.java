package io.rpctrace.internal;

/**
 * The shape of a cache or key-value command's key: what {@link CallerModule} caches
 * {@code x_module} under for Redis, Redisson and memcache (docs/RATIONALE.md,
 * "x_module is cached per call-site key").
 */
public final class KeyShape {
    /** How much of a key {@link #of} looks at. */
    static final int SHAPE_CHARS = 64;
    /** A word of a key at least this long without a digit is a token (an opaque id), not a name. */
    static final int TOKEN_CHARS = 24;
    /** A word with a digit at least this long, of hex digits and dashes only, is a UUID or a hash. */
    static final int HEX_CHARS = 8;
    /** A word with a digit at least this long is an id, whatever its letters. */
    static final int ID_CHARS = 12;

    private KeyShape() {
    }

    /**
     * The call-site key of a keyed command ({@code GET user:42}) for {@link CallerModule}: the
     * command, and the key with what varies per call replaced by {@code #}, so that every call
     * from one site shares it.
     * The key is cut into words at anything but letters, digits, {@code _} and {@code -}. A word
     * with a digit becomes: its letters up to the first digit and {@code #} when they end in
     * {@code _} or {@code -} ({@code user_42} → {@code user_#}, {@code ord-7f3a} → {@code ord-#});
     * {@code #} when it is a number, a UUID or a hash (at least {@value #HEX_CHARS} hex digits and dashes)
     * or at least {@value #ID_CHARS} characters long (an id); else the word without its digits
     * ({@code k1} → {@code k}, {@code user42} → {@code user}), as names with a number in them
     * stay apart. A word without a digit of {@value #TOKEN_CHARS} characters or more is a token
     * and becomes {@code #}. Only the first {@value #SHAPE_CHARS} characters are looked at (the last
     * word read to its end).
     *
     * <pre>{@code
     * KeyShape.of("GET", "user:42:cart")                                    // "GET user:#:cart"
     * KeyShape.of("SETEX", "shop:order:1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed")  // "SETEX shop:order:#"
     * KeyShape.of("GET", null)                                              // "GET"
     * }</pre>
     */
    public static String of(String command, String key) {
        return of("", command, key);
    }

    /** {@link #of(String, String)} after {@code prefix} (a client's name: {@code redisson GET user:#}). */
    public static String of(String prefix, String command, String key) {
        if (key == null) {
            return prefix.isEmpty() ? command : prefix + command;
        }
        int n = Math.min(key.length(), SHAPE_CHARS);
        // the last word is read to its end (at most SHAPE_CHARS further), so that a UUID the
        // limit cuts is still a UUID, not a few of its characters that change per call
        int wordEnd = Math.min(key.length(), n + SHAPE_CHARS);
        StringBuilder sb = new StringBuilder(prefix.length() + command.length() + 1 + n)
                .append(prefix).append(command).append(' ');
        int i = 0;
        while (i < n) {
            char c = key.charAt(i);
            if (!wordChar(c)) {
                sb.append(c);
                i++;
                continue;
            }
            int start = i;
            int firstDigit = -1;
            while (i < wordEnd && wordChar(key.charAt(i))) {
                if (firstDigit < 0 && key.charAt(i) >= '0' && key.charAt(i) <= '9') {
                    firstDigit = i;
                }
                i++;
            }
            if (firstDigit >= 0) {
                char before = firstDigit > start ? key.charAt(firstDigit - 1) : 0;
                if (before == '_' || before == '-') {
                    sb.append(key, start, firstDigit).append('#');       // user_42, ord-7f3a
                } else if (firstDigit == start && digits(key, start, i)
                        || i - start >= HEX_CHARS && hex(key, start, i) || i - start >= ID_CHARS) {
                    sb.append('#');                                       // a number, a UUID, a hash, a long id
                } else {
                    for (int j = start; j < i; j++) {                     // k1, user42: digits dropped
                        char d = key.charAt(j);
                        if (d < '0' || d > '9') {
                            sb.append(d);
                        }
                    }
                }
            } else if (i - start >= TOKEN_CHARS) {
                sb.append('#');
            } else {
                sb.append(key, start, i);
            }
        }
        return sb.toString();
    }

    /** True when {@code key[from, to)} is decimal digits only. */
    private static boolean digits(String key, int from, int to) {
        for (int j = from; j < to; j++) {
            char c = key.charAt(j);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** True when {@code key[from, to)} is hex digits and dashes only (a UUID, a hash). */
    private static boolean hex(String key, int from, int to) {
        for (int j = from; j < to; j++) {
            char c = key.charAt(j);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static boolean wordChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-';
    }
}
