package io.rpctrace.record;

import io.rpctrace.context.RpcId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One record (docs/record.md#fields) as a mutable, reusable value: the writer preallocates these as the
 * slots of its ring, an application thread fills one and publishes it, and the writer thread
 * encodes it with {@link RecordEncoder}. Nothing here allocates once the extra arrays have
 * grown to the largest count seen.
 *
 * <p>Absent values are {@code null} for strings and {@code -1} for numbers; absent fields
 * are omitted from the line. The RPC id is kept as a prefix and an optional counter so that
 * an outgoing call need not build its id string: {@code rpcId("0.3", 2)} is written
 * {@code "0.3.2"}.
 */
public final class Record {
    static final byte EXTRA_STRING = 0;
    static final byte EXTRA_LONG = 1;
    static final byte EXTRA_DOUBLE = 2;
    /** The most {@code x_extra} entries one record keeps; further ones are ignored. */
    public static final int MAX_EXTRAS = 64;

    String name;
    String traceId;
    /** The trace id as ASCII bytes, when it came so and no string was made ({@link #traceIdAscii}); else null. */
    byte[] traceIdAscii;
    String rpcPrefix;
    int rpcSeq = -1;
    String department;
    String version;
    long timestampMs = -1;
    long durationNanos = -1;
    String module;
    String source;
    String uid;
    long threadId = -1;
    String serverIp;
    String clientIp;
    String userAgent;
    String host;
    String instanceName;
    String db;
    String code;
    String msg;
    String backtrace;
    Throwable error;
    String action;
    String param;
    String file;
    int line = -1;
    String response;
    long responseLen = -1;
    long dnsNanos = -1;

    // Not written to the line: what the span that fills this record needs until it closes (its
    // start, the served request's metric.ip byte counts). They sit here rather than in the
    // span because an instrumentation span's record is pooled and the span is allocated per
    // call (docs/RATIONALE.md, "Per-call cost").
    long startNanos;
    long bytesIn;
    long bytesOut = -1;
    /** {@link #IP_NONE}, or a served request the observer of a handed-over record feeds into {@code metric.ip}. */
    byte ipWindow;

    /** Where this record sits in a writer's ring, or -1; fixed for the record's life. */
    private final int slot;

    // Design note: the extras arrays start empty and shared, and grow on the first extra: most
    // records have none, and a span's own record is allocated per call (its 4 arrays were
    // about 140 bytes of every call's allocation). A ring slot keeps what it grew to.
    private static final String[] NO_STRINGS = new String[0];
    private static final byte[] NO_KINDS = new byte[0];
    private static final long[] NO_NUMBERS = new long[0];

    int extraCount;
    String[] extraKeys = NO_STRINGS;
    byte[] extraKinds = NO_KINDS;
    String[] extraStrings = NO_STRINGS;
    long[] extraNumbers = NO_NUMBERS;

    /** A free-standing record (not a ring slot). */
    public Record() {
        this(-1);
    }

    /**
     * A record that is slot {@code slot} of a writer's ring; the writer finds the slot again
     * from the record when it is published, without a lookup.
     */
    public Record(int slot) {
        this.slot = slot;
    }

    /** The ring slot given at construction, or -1; untouched by {@link #reset()} and {@link #copyFrom(Record)}. */
    public int slot() {
        return slot;
    }

    /** Clears every field so the record can be reused; drops references so nothing is retained. */
    public Record reset() {
        name = null;
        traceId = null;
        traceIdAscii = null;
        rpcPrefix = null;
        rpcSeq = -1;
        department = null;
        version = null;
        timestampMs = -1;
        durationNanos = -1;
        module = null;
        source = null;
        uid = null;
        threadId = -1;
        serverIp = null;
        clientIp = null;
        userAgent = null;
        host = null;
        instanceName = null;
        db = null;
        code = null;
        msg = null;
        backtrace = null;
        error = null;
        action = null;
        param = null;
        file = null;
        line = -1;
        response = null;
        responseLen = -1;
        dnsNanos = -1;
        startNanos = 0;
        bytesIn = 0;
        bytesOut = -1;
        ipWindow = IP_NONE;
        if (extraCount > 0) {
            Arrays.fill(extraKeys, 0, extraCount, null);
            Arrays.fill(extraStrings, 0, extraCount, null);
            extraCount = 0;
        }
        return this;
    }

    /** Copies every field of {@code other} into this record (after which the two share string references). */
    public Record copyFrom(Record other) {
        name = other.name;
        traceId = other.traceId;
        traceIdAscii = other.traceIdAscii;
        rpcPrefix = other.rpcPrefix;
        rpcSeq = other.rpcSeq;
        department = other.department;
        version = other.version;
        timestampMs = other.timestampMs;
        durationNanos = other.durationNanos;
        module = other.module;
        source = other.source;
        uid = other.uid;
        threadId = other.threadId;
        serverIp = other.serverIp;
        clientIp = other.clientIp;
        userAgent = other.userAgent;
        host = other.host;
        instanceName = other.instanceName;
        db = other.db;
        code = other.code;
        msg = other.msg;
        backtrace = other.backtrace;
        error = other.error;
        action = other.action;
        param = other.param;
        file = other.file;
        line = other.line;
        response = other.response;
        responseLen = other.responseLen;
        dnsNanos = other.dnsNanos;
        startNanos = other.startNanos;
        bytesIn = other.bytesIn;
        bytesOut = other.bytesOut;
        // Design note: other's keys are distinct already, so its entries are copied as arrays,
        // without slotFor's compare of each key against those before it (a ring slot's arrays
        // are out of the cache when a record is copied into them: docs/RATIONALE.md, "Per-call cost").
        int n = other.extraCount;
        if (extraCount > n) {
            Arrays.fill(extraKeys, n, extraCount, null);
            Arrays.fill(extraStrings, n, extraCount, null);
        }
        if (n > extraKeys.length) {
            int c = Math.min(MAX_EXTRAS, Math.max(4, n));
            extraKeys = new String[c];
            extraKinds = new byte[c];
            extraStrings = new String[c];
            extraNumbers = new long[c];
        }
        if (n > 0) {
            System.arraycopy(other.extraKeys, 0, extraKeys, 0, n);
            System.arraycopy(other.extraKinds, 0, extraKinds, 0, n);
            System.arraycopy(other.extraStrings, 0, extraStrings, 0, n);
            System.arraycopy(other.extraNumbers, 0, extraNumbers, 0, n);
        }
        extraCount = n;
        return this;
    }

    public Record name(String v) { name = v; return this; }
    public Record traceId(String v) { traceId = v; traceIdAscii = null; return this; }
    /**
     * The trace id as the ASCII bytes a scope entered from a byte carrier holds
     * ({@code Scope.enterAscii}): written as they are, no string made. The array is shared, not
     * copied: nobody may change it.
     */
    public Record traceIdAscii(byte[] v) { traceId = null; traceIdAscii = v; return this; }
    /** The RPC id as a whole string. */
    public Record rpcId(String v) { rpcPrefix = v; rpcSeq = -1; return this; }
    /** The RPC id {@code prefix.seq}, written without building the string first. */
    public Record rpcId(String prefix, int seq) { rpcPrefix = prefix; rpcSeq = seq; return this; }
    public Record department(String v) { department = v; return this; }
    public Record version(String v) { version = v; return this; }
    /** Start of the operation, milliseconds since the epoch; {@code x_timestamp} is derived. */
    public Record timestampMs(long v) { timestampMs = v; return this; }
    /** Duration in nanoseconds, written as seconds with microsecond precision. */
    public Record durationNanos(long v) { durationNanos = v; return this; }
    public Record module(String v) { module = v; return this; }
    public Record source(String v) { source = v; return this; }
    public Record uid(String v) { uid = v; return this; }
    /** The thread id of {@code x_pid} ({@code pid-tid}). */
    public Record threadId(long v) { threadId = v; return this; }
    public Record serverIp(String v) { serverIp = v; return this; }
    public Record clientIp(String v) { clientIp = v; return this; }
    public Record userAgent(String v) { userAgent = v; return this; }
    public Record host(String v) { host = v; return this; }
    public Record instanceName(String v) { instanceName = v; return this; }
    public Record db(String v) { db = v; return this; }
    public Record code(String v) { code = v; return this; }
    public Record msg(String v) { msg = v; return this; }
    public Record backtrace(String v) { backtrace = v; return this; }
    /** An error whose stack trace becomes {@code x_backtrace}; rendered on the writer thread. */
    public Record error(Throwable v) { error = v; return this; }
    public Record action(String v) { action = v; return this; }
    public Record param(String v) { param = v; return this; }
    public Record file(String v) { file = v; return this; }
    public Record line(int v) { line = v; return this; }
    public Record response(String v) { response = v; return this; }
    public Record responseLen(long v) { responseLen = v; return this; }
    public Record dnsNanos(long v) { dnsNanos = v; return this; }
    /** Not written: when the operation began ({@code System.nanoTime()}), for the span that ends it. */
    public Record startNanos(long v) { startNanos = v; return this; }
    /** Not written: request bytes of a served request, for {@code metric.ip} {@code bytes_in}. */
    public Record bytesIn(long v) { bytesIn = v; return this; }
    /** Not written: response bytes for {@code metric.ip} {@code bytes_out} when {@code x_response_len} counts something else; -1: that. */
    public Record bytesOut(long v) { bytesOut = v; return this; }

    /** {@link #ipWindow()}: not a served request to count in {@code metric.ip}. */
    public static final byte IP_NONE = 0;
    /** {@link #ipWindow()}: a served request to count in {@code metric.ip}, not failed. */
    public static final byte IP_SERVED = 1;
    /** {@link #ipWindow()}: a served request to count in {@code metric.ip} as an error. */
    public static final byte IP_FAILED = 2;

    /**
     * Not written, not copied by {@link #copyFrom}: whether whoever observes this handed-over record
     * (the writer thread, after encoding it) feeds it into the per-client-IP windows.
     */
    public Record ipWindow(byte v) { ipWindow = v; return this; }

    /** Adds or replaces an {@code x_extra} string entry; null values are ignored. */
    public Record extra(String key, String value) {
        if (key != null && value != null) {
            int k = slotFor(key);
            if (k >= 0) {
                extraKinds[k] = EXTRA_STRING;
                extraStrings[k] = value;
            }
        }
        return this;
    }

    /** Adds or replaces an {@code x_extra} integer entry. */
    public Record extra(String key, long value) {
        if (key != null) {
            int k = slotFor(key);
            if (k >= 0) {
                extraKinds[k] = EXTRA_LONG;
                extraStrings[k] = null;
                extraNumbers[k] = value;
            }
        }
        return this;
    }

    /** Adds or replaces an {@code x_extra} float entry (NaN and infinities are written as 0.0 so the type stays a float). */
    public Record extra(String key, double value) {
        if (key != null) {
            int k = slotFor(key);
            if (k >= 0) {
                extraKinds[k] = EXTRA_DOUBLE;
                extraStrings[k] = null;
                extraNumbers[k] = Double.doubleToRawLongBits(value);
            }
        }
        return this;
    }

    private int slotFor(String key) {
        for (int i = 0; i < extraCount; i++) {
            if (extraKeys[i].equals(key)) {
                return i;
            }
        }
        if (extraCount == MAX_EXTRAS) {
            return -1;
        }
        if (extraCount == extraKeys.length) {
            int n = Math.min(MAX_EXTRAS, Math.max(4, extraCount * 2));
            extraKeys = Arrays.copyOf(extraKeys, n);
            extraKinds = Arrays.copyOf(extraKinds, n);
            extraStrings = Arrays.copyOf(extraStrings, n);
            extraNumbers = Arrays.copyOf(extraNumbers, n);
        }
        extraKeys[extraCount] = key;
        return extraCount++;
    }

    /**
     * Reads this record's fields and the length of each string it holds, and returns a sum of
     * them that means nothing: the writer thread calls it for a few records ahead of the one it
     * encodes (docs/writer.md#design), so that the cache misses on memory the
     * application's threads wrote are taken together, overlapping, rather than one after
     * another inside the encoder. Public for the writer package only; it changes nothing.
     */
    public int touch() {
        return len(name) + len(traceId) + len(rpcPrefix) + len(module) + len(serverIp) + len(clientIp)
                + len(userAgent) + len(host) + len(instanceName) + len(db) + len(code) + len(msg) + len(action)
                + len(param) + len(response) + extraCount;
    }

    private static int len(String s) {
        return s == null ? 0 : s.length();
    }

    /**
     * The length of the longest string this record holds ({@code x_extra} keys and values
     * included; 64 Ki for a throwable, whose stack is rendered only when written): where the
     * encoder starts cutting a record that is too long.
     */
    int longestString() {
        int m = 0;
        String[] all = {name, traceId, rpcPrefix, department, version, module, source, uid, serverIp, clientIp,
            userAgent, host, instanceName, db, code, msg, backtrace, action, param, file, response};
        for (String s : all) {
            if (s != null) {
                m = Math.max(m, s.length());
            }
        }
        if (traceIdAscii != null) {
            m = Math.max(m, traceIdAscii.length);
        }
        for (int i = 0; i < extraCount; i++) {
            m = Math.max(m, extraKeys[i].length());
            if (extraStrings[i] != null) {
                m = Math.max(m, extraStrings[i].length());
            }
        }
        if (error != null) {
            m = Math.max(m, 1 << 16);
        }
        return m;
    }

    public String name() { return name; }
    /** The trace id (a string made here when it was given as bytes), or null. */
    public String traceId() {
        return traceId != null || traceIdAscii == null ? traceId : new String(traceIdAscii, StandardCharsets.ISO_8859_1);
    }
    /** The RPC id as a string (allocates when it has a counter part), or null. */
    public String rpcId() { return rpcPrefix == null ? null : rpcSeq < 0 ? rpcPrefix : RpcId.join(rpcPrefix, rpcSeq); }
    /** The RPC id's prefix (the whole id when {@link #rpcSeq()} is below 0), or null. */
    public String rpcPrefix() { return rpcPrefix; }
    /** The RPC id's counter part, or -1. */
    public int rpcSeq() { return rpcSeq; }
    public long timestampMs() { return timestampMs; }
    public long startNanos() { return startNanos; }
    public long bytesIn() { return bytesIn; }
    public long bytesOut() { return bytesOut; }
    public byte ipWindow() { return ipWindow; }
    public long durationNanos() { return durationNanos; }
    public String module() { return module; }
    public String host() { return host; }
    public String instanceName() { return instanceName; }
    public String code() { return code; }
    public String msg() { return msg; }
    public String action() { return action; }
    public String clientIp() { return clientIp; }
    public long responseLen() { return responseLen; }
    public Throwable error() { return error; }
    /** Number of {@code x_extra} entries. */
    public int extraCount() { return extraCount; }
    /** How many {@code x_extra} entries fit before the arrays grow (a pool keeps small records only). */
    public int extraCapacity() { return extraKeys.length; }
}
