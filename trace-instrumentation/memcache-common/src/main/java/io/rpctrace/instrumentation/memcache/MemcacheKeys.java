package io.rpctrace.instrumentation.memcache;

import io.rpctrace.internal.KeyShape;
import io.rpctrace.internal.ParamJson;
import io.rpctrace.internal.Secrets;
import java.util.Collection;

/**
 * How a memcached command appears in {@code x_action}: the protocol verb and its key
 * ({@code get user:42}), a multi-get with its keys ({@code get a b c}, at most
 * {@value #MAX_KEYS} of them, then {@code ...(+n)}). A key is capped at
 * {@value #MAX_KEY_CHARS} characters, as Redis keys are, and the part of a key that follows
 * a part named like a secret ({@link Secrets#isSecretName}: {@code session}, {@code token},
 * {@code api_key}, ...) is masked, because caches are often keyed by the secret itself:
 *
 * <pre>{@code
 * MemcacheKeys.action("get", "user:42")            // "get user:42"
 * MemcacheKeys.action("get", "session:9f8e7d6c")   // "get session:***"
 * MemcacheKeys.action("set", "u:1:token:abc:ttl")  // "set u:1:token:***:ttl"
 * }</pre>
 */
public final class MemcacheKeys {
    static final int MAX_KEY_CHARS = 128;
    static final int MAX_KEYS = 8;

    private MemcacheKeys() {
    }

    /** {@code x_action} of a single-key command (the verb alone when {@code key} is null). */
    public static String action(String command, String key) {
        return key == null ? command : command + ' ' + key(key);
    }

    /** {@code x_action} of a multi-key command: the verb and the first keys. */
    public static String action(String command, Collection<?> keys) {
        if (keys == null || keys.isEmpty()) {
            return command;
        }
        StringBuilder sb = new StringBuilder(command.length() + 16 * Math.min(keys.size(), MAX_KEYS)).append(command);
        int n = 0;
        for (Object k : keys) {
            if (n == MAX_KEYS) {
                sb.append(' ').append(ParamJson.CUT).append("(+").append(keys.size() - MAX_KEYS).append(')');
                break;
            }
            sb.append(' ').append(key(String.valueOf(k)));
            n++;
        }
        return sb.toString();
    }

    /** A key as it may be written: capped, and masked after a secret-looking part. */
    static String key(String key) {
        String k = key.length() > MAX_KEY_CHARS ? key.substring(0, MAX_KEY_CHARS) + ParamJson.CUT : key;
        if (!mayHoldSecret(k)) {
            return k;   // the common case: no allocation
        }
        StringBuilder sb = new StringBuilder(k.length());
        int start = 0;
        boolean maskNext = false;
        for (int i = 0; i <= k.length(); i++) {
            if (i == k.length() || separator(k.charAt(i))) {
                String part = k.substring(start, i);
                sb.append(maskNext && !part.isEmpty() ? Secrets.MASK : part);
                maskNext = Secrets.isSecretName(part);
                if (i < k.length()) {
                    sb.append(k.charAt(i));
                }
                start = i + 1;
            }
        }
        return sb.toString();
    }

    private static boolean separator(char c) {
        return c == ':' || c == '/' || c == '|' || c == '=' || c == '#' || c == ',';
    }

    /** True when a part of the key other than the last is named like a secret. */
    private static boolean mayHoldSecret(String k) {
        int start = 0;
        for (int i = 0; i < k.length(); i++) {
            if (separator(k.charAt(i))) {
                if (i > start && i + 1 < k.length() && hasSecretWord(k, start, i)
                        && Secrets.isSecretName(k.substring(start, i))) {
                    return true;
                }
                start = i + 1;
            }
        }
        return false;
    }

    /** Fragments every secret name of {@link Secrets} contains (a cheap pre-check, no allocation). */
    private static final String[] FRAGMENTS = {"pass", "pwd", "secret", "token", "key", "auth", "sig", "credential",
        "session", "jwt", "cookie"};

    private static boolean hasSecretWord(String k, int from, int to) {
        for (String f : FRAGMENTS) {
            char first = f.charAt(0);   // lower case: an ASCII position whose letter differs is not compared
            for (int i = from; i + f.length() <= to; i++) {
                char c = k.charAt(i);
                if ((c >= 128 || (c | 0x20) == first) && k.regionMatches(true, i, f, 0, f.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Where {@code x_module} is cached: the verb and the key's shape, so that {@code user:1} and
     * {@code user:2}, or two UUIDs, share a call site ({@link KeyShape#of}).
     */
    static String siteKey(String command, String key) {
        return KeyShape.of(command, key);
    }
}
