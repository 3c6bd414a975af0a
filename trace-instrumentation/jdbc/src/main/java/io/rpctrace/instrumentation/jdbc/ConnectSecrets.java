package io.rpctrace.instrumentation.jdbc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The passwords a connect carried (in the URL's user info, its {@code password}-like
 * properties, or the {@code Properties} given to {@code Driver.connect}), and the failure
 * with them blanked out: some drivers quote the URL, password included, in their
 * exception's message (MariaDB's "Incorrect port value : pw@host").
 */
final class ConnectSecrets {
    private static final String MASK = "***";

    private ConnectSecrets() {
    }

    /** Non-empty passwords found in {@code url} and {@code info}. */
    static List<String> of(String url, Properties info) {
        List<String> out = new ArrayList<>(2);
        if (info != null) {
            for (String key : info.stringPropertyNames()) {
                if (secretKey(key)) {
                    add(out, info.getProperty(key));
                }
            }
        }
        if (url != null) {
            int slashes = url.indexOf("//");
            if (slashes >= 0) {
                int at = url.indexOf('@', slashes);
                int slash = url.indexOf('/', slashes + 2);
                if (at > 0 && (slash < 0 || at < slash)) {
                    String userInfo = url.substring(slashes + 2, at);
                    int colon = userInfo.indexOf(':');
                    if (colon >= 0) {
                        add(out, userInfo.substring(colon + 1));
                    }
                    int lastColon = url.lastIndexOf(':', at);
                    if (lastColon > slashes) {
                        add(out, url.substring(lastColon + 1, at));
                    }
                }
            }
            for (String part : url.split("[?&;]")) {
                int eq = part.indexOf('=');
                if (eq > 0 && secretKey(part.substring(0, eq))) {
                    add(out, part.substring(eq + 1));
                }
            }
        }
        return out;
    }

    private static boolean secretKey(String key) {
        String k = key.trim().toLowerCase(Locale.ROOT);
        return k.contains("password") || k.contains("passwd") || k.equals("pwd") || k.contains("secret")
                || k.contains("token");
    }

    private static void add(List<String> out, String v) {
        if (v != null && !v.isEmpty() && !out.contains(v)) {
            out.add(v);
        }
    }

    /** {@code s} with every secret replaced by {@code ***}. */
    static String scrub(String s, List<String> secrets) {
        if (s == null) {
            return null;
        }
        for (String secret : secrets) {
            if (s.contains(secret)) {
                s = s.replace(secret, MASK);
            }
        }
        return s;
    }

    /** {@code t} itself when no secret shows in it or its causes, else a stand-in with the same stack. */
    static Throwable scrub(Throwable t, List<String> secrets) {
        if (t == null || secrets.isEmpty() || !leaks(t, secrets)) {
            return t;
        }
        return new Scrubbed(t, secrets);
    }

    private static boolean leaks(Throwable t, List<String> secrets) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String text = String.valueOf(c);
            for (String s : secrets) {
                if (text.contains(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A failure printed as the original, secrets masked, causes included. */
    static final class Scrubbed extends Throwable {
        private static final long serialVersionUID = 1L;
        private final String text;

        Scrubbed(Throwable original, List<String> secrets) {
            super(scrub(original.getMessage(), secrets), scrubbedCause(original, secrets), false, true);
            this.text = scrub(original.toString(), secrets);
            setStackTrace(original.getStackTrace());
        }

        private static Throwable scrubbedCause(Throwable original, List<String> secrets) {
            Throwable cause = original.getCause();
            return cause == null || cause == original ? null : new Scrubbed(cause, secrets);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
