package io.rpctrace.internal;

/**
 * Which names hold secrets, and what a masked value reads: the one rule every instrumentation
 * applies before a value reaches a record (docs/record.md#secrets). A parameter, header, form
 * field or JSON member named like {@code password|passwd|pwd|secret|token|apikey|key|auth|
 * signature|sig|credential|session|jwt|authorization|cookie} has its value written as
 * {@value #MASK}.
 *
 * <pre>{@code
 * Secrets.isSecretName("access_token")   // true
 * Secrets.isSecretName("monkey")         // false: "key" counts only as a whole word
 * }</pre>
 */
public final class Secrets {
    /** What a masked value is replaced with. */
    public static final String MASK = "***";
    private static final String[] SECRET_WORDS = {
        "password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "api-key", "key", "auth",
        "signature", "sig", "credential", "session", "jwt", "authorization", "cookie",
    };

    private Secrets() {
    }

    /**
     * True when a parameter or header name looks like it holds a secret. The short words
     * ({@code key}, {@code sig}, {@code auth}) count only as a whole word of the name
     * ({@code api_key}, {@code auth-token}), so that {@code monkey} or {@code author} stay readable.
     */
    public static boolean isSecretName(String name) {
        return name != null && isSecretName(name, 0, name.length());
    }

    /**
     * {@link #isSecretName(String)} for the characters {@code from} (inclusive) to {@code to}
     * (exclusive) of {@code s}, without copying them: a query string's parameter names are
     * checked in place, so a URL with nothing to mask costs no allocation.
     */
    public static boolean isSecretName(String s, int from, int to) {
        int len = to - from;
        if (s == null || len <= 0) {
            return false;
        }
        // Design note: case-insensitive region matches instead of a lower-cased copy and the
        // concatenated "_key", "key-", ... of the short words (about 20 strings per name).
        for (String w : SECRET_WORDS) {
            int wl = w.length();
            if (w.equals("key") || w.equals("sig") || w.equals("auth")) {
                if (len == wl && s.regionMatches(true, from, w, 0, wl)) {
                    return true;
                }
                if (len > wl && s.regionMatches(true, to - wl, w, 0, wl)) {
                    char before = s.charAt(to - wl - 1);
                    if (before == '_' || before == '-' || before == '.') {
                        return true;
                    }
                }
                if (len > wl && s.regionMatches(true, from, w, 0, wl)) {
                    char after = s.charAt(from + wl);
                    if (after == '_' || after == '-') {
                        return true;
                    }
                }
            } else {
                for (int i = from; i + wl <= to; i++) {
                    if (s.regionMatches(true, i, w, 0, wl)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
