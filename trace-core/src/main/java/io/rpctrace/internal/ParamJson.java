package io.rpctrace.internal;

/**
 * {@code x_param} text: the values of a call (SQL bind values, Redis arguments, query
 * parameters) as a JSON array, each value capped so that one record stays small.
 *
 * <pre>{@code
 * StringBuilder sb = new StringBuilder().append('[');
 * ParamJson.appendValue(sb, 42);           // 42
 * sb.append(',');
 * ParamJson.appendString(sb, "it's \"x\"");  // "it's \"x\""
 * sb.append(']');
 * }</pre>
 */
public final class ParamJson {
    /** Marker appended to a cut value. */
    public static final String CUT = "...";
    /** Cap on one value, in characters. */
    public static final int MAX_VALUE_CHARS = 128;
    /** Values written at most in one {@code x_param}. */
    public static final int MAX_PARAMS = 64;

    private ParamJson() {
    }

    /**
     * One JSON value: numbers and booleans bare (NaN and infinities as strings), null, bytes
     * as {@code "<n bytes>"}, streams as {@code "<stream>"}, anything else as a capped string.
     */
    public static void appendValue(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Number && !(v instanceof java.math.BigDecimal) || v instanceof Boolean) {
            String s = v.toString();
            if (s.equals("NaN") || s.contains("Infinity")) {
                appendString(sb, s);
            } else {
                sb.append(s);
            }
        } else if (v instanceof byte[]) {
            appendString(sb, "<" + ((byte[]) v).length + " bytes>");
        } else if (v instanceof java.io.InputStream || v instanceof java.io.Reader) {
            appendString(sb, "<stream>");
        } else {
            appendString(sb, String.valueOf(v));
        }
    }

    /** A JSON string, capped at {@link #MAX_VALUE_CHARS} characters (never inside a surrogate pair). */
    public static void appendString(StringBuilder sb, String s) {
        int n = Math.min(s.length(), MAX_VALUE_CHARS);
        if (n > 0 && n < s.length() && Character.isHighSurrogate(s.charAt(n - 1))) {
            n--;
        }
        sb.append('"');
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        if (n < s.length()) {
            sb.append(CUT);
        }
        sb.append('"');
    }
}
