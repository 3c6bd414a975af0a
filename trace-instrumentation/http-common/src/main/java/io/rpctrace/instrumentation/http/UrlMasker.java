package io.rpctrace.instrumentation.http;

import io.rpctrace.internal.Secrets;

/**
 * Masks secret-looking values in URLs and parameter lists before they reach a record
 * (docs/record.md#secrets): query parameters whose name {@link Secrets#isSecretName looks secret}
 * get the value {@code ***}, and {@code user:pass@} in an authority becomes {@code user:***@}.
 *
 * <pre>{@code
 * UrlMasker.mask("http://h/p?id=7&access_token=abc")  // "http://h/p?id=7&access_token=***"
 * }</pre>
 */
public final class UrlMasker {
    /** What ends a URL's authority (RFC 3986, 3.2): the path, the query, the fragment. */
    private static final char[] AUTHORITY_ENDS = {'/', '?', '#'};

    private UrlMasker() {
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
        if (!hasSecretName(out, q + 1, hash < 0 ? out.length() : hash)) {
            return out;   // the common case: nothing to mask, nothing copied
        }
        String query = hash < 0 ? out.substring(q + 1) : out.substring(q + 1, hash);
        String masked = maskQuery(query);
        if (masked == query) {
            return out;
        }
        return out.substring(0, q + 1) + masked + (hash < 0 ? "" : out.substring(hash));
    }

    /** A raw query string ({@code a=1&token=x}) with secret-looking values masked; the same instance when unchanged. */
    public static String maskQuery(String query) {
        if (query == null || !hasSecretName(query, 0, query.length())) {
            return query;
        }
        StringBuilder sb = null;
        int i = 0;
        int n = query.length();
        while (i <= n) {
            int amp = query.indexOf('&', i);
            int end = amp < 0 ? n : amp;
            int eq = query.indexOf('=', i);
            if (eq > i && eq < end && Secrets.isSecretName(query, i, eq)) {
                if (sb == null) {
                    sb = new StringBuilder(n);
                    sb.append(query, 0, i);
                }
                sb.append(query, i, eq + 1).append(Secrets.MASK);
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

    /** True when a parameter of the query {@code s[from, to)} has a secret-looking name. */
    private static boolean hasSecretName(String s, int from, int to) {
        int i = from;
        while (i < to) {
            int amp = s.indexOf('&', i);
            int end = amp < 0 || amp > to ? to : amp;
            int eq = s.indexOf('=', i);
            if (eq > i && eq < end && Secrets.isSecretName(s, i, eq)) {
                return true;
            }
            i = end + 1;
        }
        return false;
    }

    /** Where the authority that starts at {@code start} ends: at the path, the query or the fragment (RFC 3986, 3.2). */
    private static int authorityEnd(String url, int start) {
        int end = url.length();
        for (char c : AUTHORITY_ENDS) {
            int i = url.indexOf(c, start);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        return end;
    }

    private static String maskUserInfo(String url) {
        int scheme = url.indexOf("://");
        if (scheme < 0) {
            return url;
        }
        int start = scheme + 3;
        // the common case first: no '@' at all (indexOf is an intrinsic, lastIndexOf a plain loop)
        int first = url.indexOf('@', start);
        if (first < 0) {
            return url;
        }
        int end = authorityEnd(url, start);
        if (first >= end) {
            return url;   // an '@' in the path, query or fragment is not user info
        }
        int at = url.lastIndexOf('@', end - 1);
        int colon = url.indexOf(':', start);
        if (colon < 0 || colon > at) {
            return url;
        }
        return url.substring(0, colon + 1) + Secrets.MASK + url.substring(at);
    }
}
