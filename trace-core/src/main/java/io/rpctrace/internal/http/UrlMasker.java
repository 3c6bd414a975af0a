package io.rpctrace.internal.http;

import java.util.Locale;

/**
 * Masks secret-looking values in URLs and parameter lists before they reach a record
 * (SPEC §3): query parameters named like {@code password|passwd|pwd|secret|token|key|auth|
 * signature|sig|credential|session} get the value {@code ***}, and {@code user:pass@} in an
 * authority becomes {@code user:***@}.
 *
 * <pre>{@code
 * UrlMasker.mask("http://h/p?id=7&access_token=abc")  // "http://h/p?id=7&access_token=***"
 * }</pre>
 */
public final class UrlMasker {
    /** What a masked value is replaced with. */
    public static final String MASK = "***";
    private static final String[] SECRET_WORDS = {
        "password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "api-key", "key", "auth",
        "signature", "sig", "credential", "session", "jwt", "authorization", "cookie",
    };

    private UrlMasker() {
    }

    /** True when a parameter or header name looks like it holds a secret. */
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

    /** The URL with secret-looking query values and userinfo passwords masked; null stays null. */
    public static String mask(String url) {
        if (url == null) {
            return null;
        }
        String out = maskUserInfo(url);
        int q = out.indexOf('?');
        if (q < 0) {
            return out;
        }
        int hash = out.indexOf('#', q);
        String query = hash < 0 ? out.substring(q + 1) : out.substring(q + 1, hash);
        String masked = maskQuery(query);
        if (masked == query) {
            return out;
        }
        return out.substring(0, q + 1) + masked + (hash < 0 ? "" : out.substring(hash));
    }

    /** A raw query string ({@code a=1&token=x}) with secret-looking values masked; the same instance when unchanged. */
    public static String maskQuery(String query) {
        if (query == null || query.isEmpty()) {
            return query;
        }
        StringBuilder sb = null;
        int i = 0;
        int n = query.length();
        while (i <= n) {
            int amp = query.indexOf('&', i);
            int end = amp < 0 ? n : amp;
            int eq = query.indexOf('=', i);
            if (eq > i && eq < end && isSecretName(query.substring(i, eq))) {
                if (sb == null) {
                    sb = new StringBuilder(n);
                    sb.append(query, 0, i);
                }
                sb.append(query, i, eq + 1).append(MASK);
            } else if (sb != null) {
                sb.append(query, i, end);
            }
            if (amp < 0) {
                break;
            }
            if (sb != null) {
                sb.append('&');
            }
            i = amp + 1;
        }
        return sb == null ? query : sb.toString();
    }

    private static String maskUserInfo(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int start = scheme + 3;
        int slash = url.indexOf('/', start);
        int end = slash < 0 ? url.length() : slash;
        int at = url.lastIndexOf('@', end - 1);
        if (at < start) {
            return url;
        }
        int colon = url.indexOf(':', start);
        if (colon < 0 || colon > at) {
            return url;
        }
        return url.substring(0, colon + 1) + MASK + url.substring(at);
    }
}
