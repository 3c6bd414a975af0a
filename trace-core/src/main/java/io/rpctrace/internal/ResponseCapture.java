package io.rpctrace.internal;

import io.rpctrace.Span;
import io.rpctrace.config.ConfigKeys;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code x_response}: an excerpt of what a call returned, written when {@code capture.response} is
 * on or the call's trace runs in debug mode (docs/propagation.md#debug-mode), capped at
 * {@link #MAX_CHARS} and with secret-looking JSON/form values masked as in {@code x_param}.
 *
 * <pre>{@code
 * if (ResponseCapture.wanted(span)) {
 *     span.response(ResponseCapture.excerpt(reply));   // "OK", "[\"a\",\"b\"]", "42", "(nil)"
 * }
 * }</pre>
 *
 * <p>Design note: an excerpt is made only for calls that want it, after the call, on the
 * caller's thread (a Redis reply, the first bytes of a served response). Nothing is copied for
 * the other calls, and nothing is read that the application would not read itself: HTTP
 * clients' bodies are not captured, because the record is written when the response head
 * arrives, before the application has read the body.
 */
public final class ResponseCapture {
    /** Longest excerpt, in characters; a longer one ends with {@code …}. */
    public static final int MAX_CHARS = 512;
    /** Bytes of a body kept for an excerpt (UTF-8 needs up to 4 per character). */
    public static final int MAX_BYTES = MAX_CHARS * 2;
    private static final int MAX_ELEMENTS = 16;
    private static final String NIL = "(nil)";
    // "password": "x", password=x — a secret-looking name, then its value up to the next
    // quote / separator. Cheap enough for excerpts of at most 512 characters.
    private static final Pattern JSON_SECRET = Pattern.compile(
            "\"([A-Za-z0-9_.\\-]{1,64})\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern FORM_SECRET = Pattern.compile("(?<=^|&)([A-Za-z0-9_.\\-]{1,64})=([^&]*)");

    private static volatile Tracing enabledFor;
    private static volatile boolean enabled;

    private ResponseCapture() {
    }

    /** True when {@code span} should carry {@code x_response}: capture.response, or a debug trace. */
    public static boolean wanted(Span span) {
        return span != null && (span.debug() || configured());
    }

    /** True when {@code capture.response} is on. */
    public static boolean configured() {
        Tracing t = Tracing.get();
        if (enabledFor != t) {
            enabled = t.config().getBoolean(ConfigKeys.CAPTURE_RESPONSE, false);
            enabledFor = t;
        }
        return enabled;
    }

    /**
     * An excerpt of a reply value: text as is, {@code byte[]} decoded as UTF-8 (bad bytes become
     * U+FFFD), numbers and booleans as text, collections, maps and arrays as a JSON-like list of
     * their first 16 elements, null as {@code (nil)}.
     */
    public static String excerpt(Object value) {
        try {
            StringBuilder sb = new StringBuilder(64);
            append(sb, value, true);
            return mask(cap(sb));
        } catch (RuntimeException e) {
            // a collection changed under us, an odd CharSequence: the call's record is kept
            AdviceErrors.record(e);
            return "<unreadable " + value.getClass().getSimpleName() + ">";
        }
    }

    /** An excerpt of {@code len} body bytes (UTF-8; bad bytes become U+FFFD). */
    public static String excerpt(byte[] body, int len) {
        if (body == null || len <= 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder(Math.min(len, MAX_CHARS) + 1);
        sb.append(decode(body, 0, Math.min(len, body.length)));
        return mask(cap(sb));
    }

    private static void append(StringBuilder sb, Object v, boolean top) {
        if (sb.length() > MAX_CHARS) {
            return;
        }
        if (v == null) {
            sb.append(NIL);
        } else if (v instanceof byte[]) {
            byte[] b = (byte[]) v;
            text(sb, decode(b, 0, Math.min(b.length, MAX_BYTES)), top);
        } else if (v instanceof CharSequence) {
            CharSequence s = (CharSequence) v;
            text(sb, s.length() > MAX_CHARS ? s.subSequence(0, MAX_CHARS + 1) : s, top);
        } else if (v instanceof ByteBuffer) {
            ByteBuffer b = ((ByteBuffer) v).duplicate();
            byte[] bytes = new byte[Math.min(b.remaining(), MAX_BYTES)];
            b.get(bytes);
            text(sb, decode(bytes, 0, bytes.length), top);
        } else if (v instanceof Number || v instanceof Boolean || v instanceof Character || v instanceof Enum) {
            sb.append(v);
        } else if (v instanceof Map) {
            sb.append('{');
            int i = 0;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (i > 0) {
                    sb.append(',');
                }
                if (i++ == MAX_ELEMENTS || sb.length() > MAX_CHARS) {
                    sb.append("…");
                    break;
                }
                append(sb, e.getKey(), false);
                sb.append(':');
                append(sb, e.getValue(), false);
            }
            sb.append('}');
        } else if (v instanceof Collection) {
            list(sb, ((Collection<?>) v).toArray(), ((Collection<?>) v).size());
        } else if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            Object[] first = new Object[Math.min(n, MAX_ELEMENTS + 1)];
            for (int i = 0; i < first.length; i++) {
                first[i] = Array.get(v, i);
            }
            list(sb, first, n);
        } else {
            // An object of the client's own (a Lettuce value, a scan cursor): its name, never
            // its toString(), which could be anything from slow to failing.
            sb.append('<').append(v.getClass().getSimpleName()).append('>');
        }
    }

    private static void list(StringBuilder sb, Object[] items, int size) {
        sb.append('[');
        for (int i = 0; i < Math.min(items.length, MAX_ELEMENTS); i++) {
            if (i > 0) {
                sb.append(',');
            }
            append(sb, items[i], false);
            if (sb.length() > MAX_CHARS) {
                break;
            }
        }
        if (size > MAX_ELEMENTS) {
            sb.append(",…").append(size).append(" items");
        }
        sb.append(']');
    }

    /** A top-level text goes as is; inside a list it is quoted, JSON-like. */
    private static void text(StringBuilder sb, CharSequence s, boolean top) {
        if (top) {
            sb.append(s);
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        sb.append('"');
    }

    private static CharSequence decode(byte[] b, int off, int len) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE);
        CharBuffer out = CharBuffer.allocate(len);
        d.decode(ByteBuffer.wrap(b, off, len), out, true);   // a sequence cut at the end becomes U+FFFD
        out.flip();
        return out;
    }

    private static String cap(StringBuilder sb) {
        if (sb.length() > MAX_CHARS) {
            int end = MAX_CHARS;
            if (Character.isHighSurrogate(sb.charAt(end - 1))) {
                end--;   // never cut a surrogate pair in two
            }
            sb.setLength(end);
            sb.append('…');
        }
        return sb.toString();
    }

    /** Secret-looking values of JSON members and form fields become {@code ***}. */
    static String mask(String s) {
        if (s.indexOf('"') >= 0) {
            s = replaceSecrets(JSON_SECRET.matcher(s), s);
        }
        if (s.indexOf('=') >= 0) {
            s = replaceSecrets(FORM_SECRET.matcher(s), s);
        }
        return s;
    }

    private static String replaceSecrets(Matcher m, String s) {
        StringBuilder out = null;
        int last = 0;
        while (m.find()) {
            if (!Secrets.isSecretName(m.group(1))) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length());
            }
            out.append(s, last, m.start(2)).append(Secrets.MASK);
            last = m.end(2);
        }
        if (out == null) {
            return s;
        }
        return out.append(s, last, s.length()).toString();
    }
}
