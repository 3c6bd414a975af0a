package io.rpctrace.instrumentation.http;

/**
 * The client IP of a served request (docs/metrics.md): the left-most {@code X-Forwarded-For} entry,
 * else {@code X-Real-IP}, else the TCP peer. Values that are not an IPv4/IPv6 literal (hostile
 * or garbled headers) are skipped, so a record never carries an attacker's free text here.
 */
public final class ClientIp {
    public static final String X_FORWARDED_FOR = "X-Forwarded-For";
    public static final String X_REAL_IP = "X-Real-IP";

    private ClientIp() {
    }

    /** Any argument may be null; returns null when none is usable. */
    public static String resolve(String xForwardedFor, String xRealIp, String peer) {
        if (xForwardedFor != null && xForwardedFor.length() <= 4096) {
            int comma = xForwardedFor.indexOf(',');
            String first = (comma < 0 ? xForwardedFor : xForwardedFor.substring(0, comma)).trim();
            String ip = literal(first);
            if (ip != null) {
                return ip;
            }
        }
        if (xRealIp != null) {
            String ip = literal(xRealIp.trim());
            if (ip != null) {
                return ip;
            }
        }
        return peer == null ? null : literal(peer.trim());
    }

    /**
     * The address part of {@code s} when it looks like an IP literal ({@code 1.2.3.4},
     * {@code 1.2.3.4:567}, {@code ::1}, {@code [::1]:8080}, {@code /1.2.3.4}); else null.
     */
    static String literal(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return null;
        }
        if (s.charAt(0) == '/') {
            s = s.substring(1);
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return null;
            }
            s = s.substring(1, close);
        } else if (s.indexOf(':') == s.lastIndexOf(':') && s.indexOf(':') > 0 && s.indexOf('.') > 0) {
            s = s.substring(0, s.indexOf(':')); // IPv4 with port
        }
        int dots = 0;
        int colons = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                dots++;
            } else if (c == ':') {
                colons++;
            } else if (c == '%' && colons > 0) {
                break; // IPv6 zone id
            } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return null;
            }
        }
        if (colons == 0 && dots != 3) {
            return null;
        }
        if (colons == 0) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                    return null;
                }
            }
        }
        return s;
    }
}
