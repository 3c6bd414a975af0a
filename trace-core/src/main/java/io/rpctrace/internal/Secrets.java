package io.rpctrace.internal;

import java.util.Locale;

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
        if (name == null || name.isEmpty()) {
            return false;
        }
        String n = name.toLowerCase(Locale.ROOT);
        for (String w : SECRET_WORDS) {
            if (w.equals("key") || w.equals("sig") || w.equals("auth")) {
                if (n.equals(w) || n.endsWith("_" + w) || n.endsWith("-" + w) || n.endsWith("." + w)
                        || n.startsWith(w + "_") || n.startsWith(w + "-")) {
                    return true;
                }
            } else if (n.contains(w)) {
                return true;
            }
        }
        return false;
    }
}
