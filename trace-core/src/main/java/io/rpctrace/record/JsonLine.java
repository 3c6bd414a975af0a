package io.rpctrace.record;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One JSON line being written into a reusable byte array: the few JSON primitives a record
 * needs (an object, names, strings, numbers), UTF-8, no whitespace. Not thread-safe; one per
 * {@link RecordEncoder}.
 *
 * <p>Strings are escaped as docs/record.md#escaping says: {@code "} and {@code \} with a
 * backslash; U+0008, U+0009, U+000A, U+000C and U+000D as {@code \b \t \n \f \r}; every other
 * control character (U+0000–U+001F) as {@code \\u00XX}; every UTF-16 surrogate (a valid pair
 * as two escapes, a lone one as one) and the Unicode line terminators U+0085, U+2028 and
 * U+2029 as {@code \\uXXXX}; everything else as UTF-8. So a line is always valid UTF-8 and
 * valid JSON, and no byte sequence in it can be read as a line break by a line-oriented tool.
 *
 * <p>Design note (hot path): this replaced jackson-core's generator (docs/RATIONALE.md,
 * "The encoder writes its JSON itself"). Field names are written as prepared bytes
 * ({@code "x_name":}), numbers straight as digits, and a string is a loop that copies ASCII
 * characters until one needs an escape.
 *
 * <p>Bounded: a string that cannot fit below {@link #limit} is not written; {@link #over}
 * is set instead and the caller truncates and tries again (so a 10 MB stack trace never grows
 * the buffer beyond about {@code limit}).
 */
final class JsonLine {
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** Per ASCII character: 0 when written as it is, 'u' for a {@code \\u00XX} escape, else the letter after '\'. */
    private static final byte[] ASCII_ESCAPES = new byte[128];
    /** The most bytes one UTF-16 char can become: a {@code \\uXXXX} escape. */
    private static final int MAX_PER_CHAR = 6;

    static {
        for (int c = 0; c < 0x20; c++) {
            ASCII_ESCAPES[c] = 'u';
        }
        ASCII_ESCAPES['"'] = '"';
        ASCII_ESCAPES['\\'] = '\\';
        ASCII_ESCAPES['\b'] = 'b';
        ASCII_ESCAPES['\t'] = 't';
        ASCII_ESCAPES['\n'] = 'n';
        ASCII_ESCAPES['\f'] = 'f';
        ASCII_ESCAPES['\r'] = 'r';
    }

    byte[] buf;
    int pos;
    /** Strings that would end beyond this are not written (see {@link #over}). */
    int limit = Integer.MAX_VALUE;
    /** Set when a string was left out because the line would pass {@link #limit}. */
    boolean over;
    /** A value was written in the current object: the next name needs a comma. */
    private boolean comma;
    /** The characters of a {@code String} being escaped. */
    private char[] chars = new char[256];

    JsonLine(int initialSize) {
        buf = new byte[initialSize];
    }

    /** The prepared form of a field name: {@code "name":}. */
    static byte[] prepareName(String ascii) {
        return ("\"" + ascii + "\":").getBytes(StandardCharsets.US_ASCII);
    }

    void reset(int limit) {
        pos = 0;
        comma = false;
        over = false;
        this.limit = limit;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    void startObject() {
        ensure(1);
        buf[pos++] = '{';
        comma = false;
    }

    void endObject() {
        ensure(1);
        buf[pos++] = '}';
        comma = true;
    }

    void newline() {
        ensure(1);
        buf[pos++] = '\n';
    }

    /** A field name prepared by {@link #prepareName(String)}, with the comma before it when needed. */
    void name(byte[] prepared) {
        ensure(prepared.length + 1);
        if (comma) {
            buf[pos++] = ',';
        }
        System.arraycopy(prepared, 0, buf, pos, prepared.length);
        pos += prepared.length;
        comma = true;
    }

    /** A field name given as any string (escaped like a value). */
    void name(String s) {
        ensure(1);
        if (comma) {
            buf[pos++] = ',';
        }
        string(s, 0, s.length());
        ensure(1);
        buf[pos++] = ':';
        comma = true;
    }

    /** {@code s[from, to)} as a JSON string, escaped. */
    void string(String s, int from, int to) {
        if (to - from > limit - pos - 2) { // each char is at least one byte: it cannot fit
            over = true;
            return;
        }
        int n = to - from;
        if (chars.length < n) {
            chars = new char[Math.max(n, chars.length * 2)];
        }
        s.getChars(from, to, chars, 0); // one bulk copy: the escape loop then reads a plain array
        string(chars, n);
    }

    /** {@code cs[0, n)} as a JSON string, escaped. */
    void string(char[] cs, int n) {
        if (n > limit - pos - 2) {
            over = true;
            return;
        }
        ensure(n + 2);
        buf[pos++] = '"';
        if (!escape(cs, n)) {
            return;
        }
        ensure(1);
        buf[pos++] = '"';
    }

    /** Bytes that need no escaping (already escaped, or digits and dots), between quotes. */
    void quoted(byte[] b, int off, int len) {
        ensure(len + 2);
        buf[pos++] = '"';
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
        buf[pos++] = '"';
    }

    /** Bytes written as they are (a number's digits). */
    void raw(byte[] b, int off, int len) {
        ensure(len);
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    void number(long v) {
        ensure(20);
        if (v < 0) {
            buf[pos++] = '-';
            if (v == Long.MIN_VALUE) {
                raw(Long.toString(v).substring(1).getBytes(StandardCharsets.US_ASCII), 0, 19);
                return;
            }
            v = -v;
        }
        pos = RpcIds.digits(v, buf, pos);
    }

    /** A finite double the way {@link Double#toString(double)} writes it (valid JSON for finite values). */
    void number(double d) {
        String s = Double.toString(d);
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buf[pos++] = (byte) s.charAt(i);
        }
    }

    /**
     * The escaped characters of {@code cs[0, n)}; room for {@code n} bytes is ensured. False
     * (and {@link #over} set) when the escapes make the string too long for {@link #limit}.
     */
    private boolean escape(char[] cs, int n) {
        byte[] b = buf;
        int p = pos;
        for (int i = 0; i < n; i++) {
            char c = cs[i];
            if (c < 0x80 && ASCII_ESCAPES[c] == 0) {
                b[p++] = (byte) c;
            } else {
                pos = p;
                if (!special(c, n - i - 1)) {
                    return false;
                }
                b = buf;
                p = pos;
            }
        }
        pos = p;
        return true;
    }

    /**
     * One character that is not plain ASCII, then room for {@code rest} more single-byte
     * characters (the caller's loop relies on it). False, with nothing written and {@link #over}
     * set, when this character (two bytes at least), the rest and the closing quote cannot end
     * by {@link #limit}: escapes can make a string six times its length, and the buffer then
     * stops growing at about {@code limit} instead of growing to six times it.
     */
    private boolean special(char c, int rest) {
        if (rest > limit - pos - 3) {
            over = true;
            return false;
        }
        ensure(MAX_PER_CHAR + rest);
        byte[] b = buf;
        if (c < 0x80) {
            byte e = ASCII_ESCAPES[c];
            b[pos++] = '\\';
            if (e == 'u') {
                unicodeEscapeTail(c);
            } else {
                b[pos++] = e;
            }
        } else if (c == 0x85 || c == 0x2028 || c == 0x2029 || Character.isSurrogate(c)) {
            b[pos++] = '\\';
            unicodeEscapeTail(c);
        } else if (c < 0x800) {
            b[pos++] = (byte) (0xC0 | (c >> 6));
            b[pos++] = (byte) (0x80 | (c & 0x3F));
        } else {
            b[pos++] = (byte) (0xE0 | (c >> 12));
            b[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
            b[pos++] = (byte) (0x80 | (c & 0x3F));
        }
        return true;
    }

    private void unicodeEscapeTail(char c) {
        byte[] b = buf;
        b[pos++] = 'u';
        b[pos++] = HEX[(c >> 12) & 0xF];
        b[pos++] = HEX[(c >> 8) & 0xF];
        b[pos++] = HEX[(c >> 4) & 0xF];
        b[pos++] = HEX[c & 0xF];
    }
}
