package io.rpctrace.record;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * Encodes a {@link Record} as one JSON line (docs/record.md#fields) into a reusable byte
 * buffer. One encoder per thread (it is not thread-safe); after warm-up, encoding allocates
 * nothing unless the record carries a {@link Throwable}, a double in its extras, or must be
 * truncated.
 *
 * <pre>{@code
 * RecordEncoder enc = new RecordEncoder("shop", "java-order-1.4", "1234", 64 * 1024);
 * int len = enc.encode(record);        // bytes in enc.buffer()[0..len), '\n' included
 * }</pre>
 *
 * <p>Strings are escaped by {@link JsonLine}: quotes, backslashes and control characters (so a
 * newline can never split a line) become escapes, surrogates are written as
 * {@code \\uXXXX} escapes, which keeps the line valid JSON even for a lone one, and so are
 * U+0085, U+2028 and U+2029.
 *
 * <p>Design note (hot path): most string values of a record are the very same
 * {@code String} instances record after record; {@link EncodedStrings} keeps their escaped
 * bytes, so a repeated value costs one array copy. A line longer than {@code maxBytes} is
 * noticed as soon as one string cannot fit, not after writing it all.
 */
public final class RecordEncoder {
    private static final byte[][] KEYS = new byte[Fields.ORDER.length][];
    private static final int K_NAME = 0, K_TRACE = 1, K_RPC = 2, K_DEPT = 3, K_VERSION = 4, K_TS = 5,
            K_TS_MS = 6, K_DURATION = 7, K_MODULE = 8, K_SOURCE = 9, K_UID = 10, K_PID = 11, K_SERVER_IP = 12,
            K_CLIENT_IP = 13, K_UA = 14, K_HOST = 15, K_INSTANCE = 16, K_DB = 17, K_CODE = 18, K_MSG = 19,
            K_BACKTRACE = 20, K_ACTION = 21, K_PARAM = 22, K_FILE = 23, K_LINE = 24, K_RESPONSE = 25,
            K_RESPONSE_LEN = 26, K_DNS = 27, K_EXTRA = 28;

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = JsonLine.prepareName(Fields.ORDER[i]);
        }
    }

    private static final String TRUNCATED = "...[truncated]";
    private static final int MIN_CAP = 32;
    /** The line buffer's first size; it grows for longer lines (to about {@code maxBytes}). */
    private static final int LINE_BUFFER = 16 * 1024;

    private final String defaultDepartment;
    private final String defaultVersion;
    private final String pid;
    /** {@code pid + "-"} as bytes when the pid is plain digits (always, in practice), else null. */
    private final byte[] pidDash;
    private final int maxBytes;
    private final EncodedStrings strings = new EncodedStrings();
    private final JsonLine out = new JsonLine(LINE_BUFFER);
    private final byte[] num = new byte[64];
    private final byte[] idBytes = new byte[RpcIds.MAX_JOINED];
    private char[] scratch = new char[256];
    /** Cap on string field length in chars; {@code Integer.MAX_VALUE} when not truncating. */
    private int cap = Integer.MAX_VALUE;
    private boolean dropExtras;
    /** The record's Throwable rendered once per {@link #encode} call, for every attempt. */
    private String rendered;
    private long truncatedCount;

    /**
     * @param department default {@code x_department} (null for none)
     * @param version    default {@code x_version} (null for none)
     * @param pid        the process id written before the thread id in {@code x_pid}
     * @param maxBytes   the longest line allowed ({@code record.max.bytes}); longer records
     *                   have their long string fields truncated
     */
    public RecordEncoder(String department, String version, String pid, int maxBytes) {
        this.defaultDepartment = emptyToNull(department);
        this.defaultVersion = emptyToNull(version);
        this.pid = pid == null ? "0" : pid;
        this.pidDash = digitsDash(this.pid);
        this.maxBytes = Math.max(1024, maxBytes);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static byte[] digitsDash(String pid) {
        if (pid.isEmpty() || pid.length() > 20) {
            return null;
        }
        byte[] b = new byte[pid.length() + 1];
        for (int i = 0; i < pid.length(); i++) {
            char c = pid.charAt(i);
            if (c < '0' || c > '9') {
                return null;
            }
            b[i] = (byte) c;
        }
        b[pid.length()] = '-';
        return b;
    }

    /** The buffer holding the last encoded line; valid until the next call to {@link #encode}. */
    public byte[] buffer() {
        return out.buf;
    }

    /** How many records had to be truncated so far. */
    public long truncatedCount() {
        return truncatedCount;
    }

    /**
     * Encodes {@code r} as one line ending in {@code '\n'} into {@link #buffer()} and returns
     * its length, at most {@code maxBytes}.
     */
    public int encode(Record r) {
        try {
            return encodeFitting(r);
        } finally {
            rendered = null;
        }
    }

    private int encodeFitting(Record r) {
        cap = Integer.MAX_VALUE;
        dropExtras = false;
        int len = encodeOnce(r, maxBytes);
        if (len <= maxBytes) {
            return len;
        }
        truncatedCount++;
        // Water-filling: cap every string field at the same length, shrinking until it fits;
        // then without x_extra; then, as a last resort (dozens of escape-heavy fields against a
        // small record.max.bytes), below MIN_CAP down to one char. Each step shortens the line
        // or ends the loop.
        int longest = r.longestString();
        cap = Math.max(MIN_CAP, Math.min(longest, maxBytes / 4));
        while (true) {
            len = encodeOnce(r, maxBytes);
            if (len <= maxBytes) {
                return len;
            }
            if (cap > MIN_CAP) {
                cap = Math.max(MIN_CAP, cap * 2 / 3);
            } else if (!dropExtras) {
                dropExtras = true;
            } else if (cap > 1) {
                cap = Math.max(1, cap / 2);
            } else {
                break;
            }
        }
        // Only a record with more fields than the maximum can hold even at one char each: the
        // whole line, however long, rather than a half-written one.
        return encodeOnce(r, Integer.MAX_VALUE);
    }

    /** One attempt; a line that cannot fit in {@code limit} bytes returns more than {@code limit}. */
    private int encodeOnce(Record r, int limit) {
        out.reset(limit);
        try {
            writeRecord(r);
            out.newline();
        } catch (RuntimeException e) {
            throw new IllegalStateException("record encoding failed", e);
        }
        return out.over ? Integer.MAX_VALUE : out.pos;
    }

    private void writeRecord(Record r) {
        JsonLine g = out;
        g.startObject();
        g.name(KEYS[K_NAME]);
        writeCapped(r.name == null ? "" : r.name);
        g.name(KEYS[K_TRACE]);
        if (r.traceId == null && r.traceIdAscii != null) {
            writeAscii(r.traceIdAscii);
        } else {
            writeCapped(r.traceId == null ? "" : r.traceId);
        }
        if (r.rpcPrefix != null) {
            g.name(KEYS[K_RPC]);
            writeRpcId(r.rpcPrefix, r.rpcSeq);
        }
        str(K_DEPT, r.department != null ? r.department : defaultDepartment);
        str(K_VERSION, r.version != null ? r.version : defaultVersion);
        writeTimestamps(r.timestampMs >= 0 ? r.timestampMs : System.currentTimeMillis());
        if (r.durationNanos >= 0) {
            g.name(KEYS[K_DURATION]);
            writeSeconds(r.durationNanos);
        }
        str(K_MODULE, r.module);
        str(K_SOURCE, r.source);
        str(K_UID, r.uid);
        if (r.threadId >= 0) {
            g.name(KEYS[K_PID]);
            writePid(r.threadId);
        }
        str(K_SERVER_IP, r.serverIp);
        str(K_CLIENT_IP, r.clientIp);
        str(K_UA, r.userAgent);
        str(K_HOST, r.host);
        str(K_INSTANCE, r.instanceName);
        str(K_DB, r.db);
        str(K_CODE, r.code);
        str(K_MSG, r.msg);
        String bt = r.backtrace;
        if (bt == null && r.error != null) {
            if (rendered == null) {
                rendered = render(r.error);
            }
            bt = rendered;
        }
        str(K_BACKTRACE, bt);
        str(K_ACTION, r.action);
        str(K_PARAM, r.param);
        str(K_FILE, r.file);
        if (r.line >= 0) {
            g.name(KEYS[K_LINE]);
            int n = formatLong(r.line, 0);
            g.quoted(num, 0, n);
        }
        str(K_RESPONSE, r.response);
        if (r.responseLen >= 0) {
            g.name(KEYS[K_RESPONSE_LEN]);
            g.number(r.responseLen);
        }
        if (r.dnsNanos >= 0) {
            g.name(KEYS[K_DNS]);
            writeSeconds(r.dnsNanos);
        }
        if (r.extraCount > 0 && !dropExtras) {
            g.name(KEYS[K_EXTRA]);
            g.startObject();
            for (int i = 0; i < r.extraCount; i++) {
                if (r.extraKeys[i].length() > cap && cutKeyRepeats(r, i)) {
                    continue;
                }
                g.name(capped(r.extraKeys[i]));
                switch (r.extraKinds[i]) {
                    case Record.EXTRA_LONG:
                        g.number(r.extraNumbers[i]);
                        break;
                    case Record.EXTRA_DOUBLE:
                        double d = Double.longBitsToDouble(r.extraNumbers[i]);
                        if (Double.isNaN(d) || Double.isInfinite(d)) {
                            g.number(0.0d); // keep the type fixed: floats stay floats
                        } else {
                            g.number(d);
                        }
                        break;
                    default:
                        writeCapped(r.extraStrings[i]);
                }
            }
            g.endObject();
        }
        g.endObject();
    }

    private void str(int key, String value) {
        if (value != null && !value.isEmpty()) {
            out.name(KEYS[key]);
            writeCapped(value);
        }
    }

    private void writeCapped(String value) {
        int n = value.length();
        // A value is cut only when that makes it shorter: cap + marker would outgrow it otherwise.
        // Below MIN_CAP (the last resort) it is cut anyway: the marker takes a byte a char where
        // an escaped control char takes six.
        if (n <= cap || (n - cap <= TRUNCATED.length() && cap >= MIN_CAP)) {
            strings.write(out, value, n);
        } else {
            writeTruncated(value);
        }
    }

    private void writeTruncated(String value) {
        int keep = cap;
        if (Character.isHighSurrogate(value.charAt(keep - 1))) {
            keep--; // never cut a surrogate pair in half
        }
        int total = keep + TRUNCATED.length();
        if (scratch.length < total) {
            scratch = new char[Math.max(total, scratch.length * 2)];
        }
        value.getChars(0, keep, scratch, 0);
        TRUNCATED.getChars(0, TRUNCATED.length(), scratch, keep);
        out.string(scratch, total);
    }

    /**
     * True when extra key {@code i}, cut to {@link #cap}, equals a key written before it: that
     * entry is left out, since a JSON object with a repeated key is rejected by strict parsers
     * (Elasticsearch among them). Runs only while truncating.
     */
    private boolean cutKeyRepeats(Record r, int i) {
        String key = r.extraKeys[i];
        for (int j = 0; j < i; j++) {
            String other = r.extraKeys[j];
            if (other.length() >= cap && key.regionMatches(0, other, 0, cap)) {
                return true;
            }
        }
        return false;
    }

    private String capped(String key) {
        return key.length() <= cap ? key : key.substring(0, cap);
    }

    /**
     * Writes an id given as ASCII bytes (a trace id as a byte carrier sent it): as they are when
     * nothing in them needs escaping and they fit the cap, else as the string they decode to.
     */
    private void writeAscii(byte[] ascii) {
        boolean plain = ascii.length <= cap;
        for (int i = 0; i < ascii.length && plain; i++) {
            plain = ascii[i] >= 0x20 && ascii[i] < 0x7f && ascii[i] != '"' && ascii[i] != '\\';
        }
        if (plain) {
            out.quoted(ascii, 0, ascii.length);
        } else {
            writeCapped(new String(ascii, StandardCharsets.ISO_8859_1));
        }
    }

    /** Writes the RPC id {@code prefix.seq} (or {@code prefix} when {@code seq < 0}). */
    private void writeRpcId(String prefix, int seq) {
        int len = RpcIds.join(prefix, seq, idBytes);
        if (len >= 0 && len <= cap) {
            out.quoted(idBytes, 0, len); // digits and dots only: nothing to escape
        } else if (seq < 0) {
            writeCapped(prefix);
        } else {
            writeJoined(prefix, '.', seq);
        }
    }

    /** Writes {@code pid-threadId}. */
    private void writePid(long threadId) {
        if (pidDash == null) {
            writeJoined(pid, '-', threadId);
            return;
        }
        int p = pidDash.length;
        System.arraycopy(pidDash, 0, idBytes, 0, p);
        p = RpcIds.digits(threadId, idBytes, p);
        out.quoted(idBytes, 0, p);
    }

    /** Writes {@code a + sep + n} as a JSON string without building it. */
    private void writeJoined(String a, char sep, long n) {
        int alen = a.length();
        if (alen > cap || alen >= maxBytes) { // too long to fit: not copied into scratch first
            writeCapped(a);
            return;
        }
        int need = alen + 21;
        if (scratch.length < need) {
            scratch = new char[Math.max(need, scratch.length * 2)];
        }
        a.getChars(0, alen, scratch, 0);
        scratch[alen] = sep;
        int digits = formatLong(n, 0);
        for (int i = 0; i < digits; i++) {
            scratch[alen + 1 + i] = (char) num[i];
        }
        out.string(scratch, alen + 1 + digits);
    }

    /** Writes nanoseconds as seconds with exactly six decimals: 731000 ns → 0.000731. */
    private void writeSeconds(long nanos) {
        long micros = nanos / 1000;
        long whole = micros / 1_000_000;
        int frac = (int) (micros % 1_000_000);
        int p = formatLong(whole, 0);
        num[p] = '.';
        for (int i = p + 6; i > p; i--) { // constant divisors: no hardware division
            num[i] = (byte) ('0' + frac % 10);
            frac /= 10;
        }
        out.raw(num, 0, p + 7);
    }

    /**
     * Writes {@code x_timestamp} and {@code x_timestamp_ms} from one formatting of the
     * milliseconds: the seconds are the same digits without the last three.
     */
    private void writeTimestamps(long ms) {
        JsonLine g = out;
        g.name(KEYS[K_TS]);
        if (ms < 1000) {
            g.number(0);
            g.name(KEYS[K_TS_MS]);
            g.number(ms);
            return;
        }
        int n = formatLong(ms, 0);
        g.raw(num, 0, n - 3);
        g.name(KEYS[K_TS_MS]);
        g.raw(num, 0, n);
    }

    /** Formats a non-negative long into {@link #num} at {@code at}; returns the end. */
    private int formatLong(long v, int at) {
        return RpcIds.digits(v, num, at);
    }

    private static String render(Throwable t) {
        StringWriter sw = new StringWriter(1024);
        try (PrintWriter pw = new PrintWriter(sw)) {
            t.printStackTrace(pw);
        } catch (RuntimeException e) {
            return t.getClass().getName() + " (stack trace unavailable: " + e.getClass().getName() + ")";
        }
        return sw.toString();
    }
}
