package io.rpctrace.context;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * A scope {@code (traceId, prefix, counter, debug)} and the four rules of docs/model.md#ids.
 *
 * <pre>{@code
 * Scope s = Scope.enter(headerTraceId, headerRpcId, false); // rule 1: current id prefix.1
 * int n = s.nextCall();                                     // rule 2: the call is prefix.n
 * String downstream = s.callId(n);
 * Scope task = s.child();                                   // rule 4: prefix.(n+1), counter 1
 * }</pre>
 *
 * <p>Thread-safe: the counter is incremented atomically, so concurrent calls on one scope
 * never share an id (rule 5).
 *
 * <p>A child scope (rule 4) takes its number from its parent lazily: {@link #child()} only
 * remembers the parent, and the child's prefix is fixed the first time it is needed — when
 * the child makes a call ({@link #nextCall()}), writes a record (reads {@link #prefix()} or
 * {@link #currentId()}) or a grandchild takes its own number. A task that writes nothing
 * therefore takes no number, and the ids of a trace have no gaps that no record explains
 * (docs/model.md#rule-4). The claim is one compare-and-set, no lock, no allocation beyond
 * the prefix string itself.
 */
public final class Scope {
    private static final AtomicIntegerFieldUpdater<Scope> COUNTER =
            AtomicIntegerFieldUpdater.newUpdater(Scope.class, "counter");
    private static final AtomicReferenceFieldUpdater<Scope, String> PREFIX =
            AtomicReferenceFieldUpdater.newUpdater(Scope.class, String.class, "prefix");

    /**
     * Null until asked for in a scope entered with the trace id as bytes ({@link #enterAscii}):
     * made from {@link #traceIdBytes} then. A plain field: racing threads make equal strings.
     */
    private String traceId;
    /** The scope a lazy child takes its number from; null for an entered or root scope. */
    private final Scope parent;
    /**
     * Null until a lazy child has taken its number from {@link #parent}; {@link #CLAIMING} while
     * one thread takes it.
     */
    private volatile String prefix;
    private final boolean debug;
    private final Forwarded forwarded;
    private volatile int counter;
    /**
     * {@link #traceId()} as UTF-8 bytes, made by the first {@link #traceIdBytes()}, or the bytes a
     * scope was entered with ({@link #enterAscii}); shared by the scope's calls and records.
     */
    private volatile byte[] traceIdBytes;
    // Design note: set once, by the first debug scope of the JVM, and never cleared. Logging
    // filters read it before the thread-local scope: until a debug request arrives, a disabled
    // logger.debug(...) costs a plain read instead of a thread-local lookup. Clearing it when
    // debug scopes end would need every thread hop of a debug trace to be counted out.
    private static volatile boolean debugSeen;
    /** The prefix of a lazy child while one thread takes its number (compared by identity). */
    private static final String CLAIMING = new String("claiming");

    private Scope(String traceId, Scope parent, String prefix, int counter, boolean debug, Forwarded forwarded) {
        this(traceId, null, parent, prefix, counter, debug, forwarded);
    }

    private Scope(String traceId, byte[] traceIdBytes, Scope parent, String prefix, int counter, boolean debug,
                  Forwarded forwarded) {
        this.traceId = traceId;
        this.traceIdBytes = traceIdBytes;
        this.parent = parent;
        this.prefix = prefix;
        this.counter = counter;
        this.debug = debug;
        this.forwarded = forwarded;
        if (debug && !debugSeen) {
            debugSeen = true;
        }
    }

    /**
     * False until the JVM's first debug scope (docs/propagation.md#debug-mode) is made: then no
     * scope can be in debug mode.
     */
    public static boolean debugSeen() {
        return debugSeen;
    }

    /**
     * Rule 1: entering from a caller. Invalid or absent ids are treated as absent: a new
     * trace id is generated, and the prefix is {@code 0} (also when only the trace id was
     * unusable). The counter starts at 1.
     */
    public static Scope enter(String traceId, String callerRpcId, boolean debug) {
        return enter(traceId, callerRpcId, debug, null);
    }

    /** Rule 1 with headers to forward downstream (W3C tracestate, B3, x-request-id). */
    public static Scope enter(String traceId, String callerRpcId, boolean debug, Forwarded forwarded) {
        boolean known = TraceId.isValid(traceId);
        String tid = known ? traceId : TraceId.generate();
        // a caller id without a usable trace id means nothing in the new trace: start at the root
        String prefix = known && RpcId.isValid(callerRpcId) ? callerRpcId : RpcId.ROOT;
        return new Scope(tid, null, prefix, 1, debug, forwarded);
    }

    /**
     * Rule 1 for a byte carrier (gRPC metadata): {@code traceId} is the ASCII value the carrier
     * holds, already valid ({@link TraceId#isValid(byte[])}); the scope keeps that array, its
     * records write it as it is, and the string is made only if something asks for
     * {@link #traceId()} (a log line, a call made downstream). The caller must not change the
     * array.
     *
     * <p>Design note: a served call's trace id as a string is 72 bytes per call that its record,
     * the response's {@code x-trace-id} and most handlers never need (docs/RATIONALE.md,
     * "Per-call cost").
     */
    public static Scope enterAscii(byte[] traceId, String callerRpcId, boolean debug, Forwarded forwarded) {
        if (!TraceId.isValid(traceId)) {
            return enter(null, callerRpcId, debug, forwarded);
        }
        String prefix = RpcId.isValid(callerRpcId) ? callerRpcId : RpcId.ROOT;
        return new Scope(null, traceId, null, prefix, 1, debug, forwarded);
    }

    /**
     * A root scope of a new trace for work outside any scope (rule 6): prefix {@code 0} and
     * counter 0, so that the first call or child is {@code 0.1}.
     */
    public static Scope newRoot() {
        return new Scope(TraceId.generate(), null, RpcId.ROOT, 0, false, null);
    }

    /**
     * Rule 2: increments the counter and returns it; the call's id is {@code prefix.n}. A lazy
     * child takes its own number from its parent first, so that its prefix is older than its
     * first call.
     */
    public int nextCall() {
        String p = prefix;
        if (p == null || p == CLAIMING) {
            claim();
        }
        return COUNTER.incrementAndGet(this);
    }

    /** The id of call {@code n} of this scope: {@code prefix + "." + n}. */
    public String callId(int n) {
        // the prefix first, then one concatenation: a method call with a branch inside the
        // concatenation keeps the JIT from fusing it (32 more bytes per id, measured)
        String p = prefix();
        return p + '.' + n;
    }

    /** Rule 2 as a string: increments the counter and returns the call's id. */
    public String nextCallId() {
        return callId(nextCall());
    }

    /**
     * Rule 4: a child scope for a task or local span; its prefix is {@code prefix.n}, its
     * counter 1. The number {@code n} is taken from this scope's counter when the child first
     * needs its prefix, not now: a child that never writes a record takes none.
     */
    public Scope child() {
        return new Scope(traceId, traceIdBytes, this, null, 1, debug, forwarded);
    }

    /**
     * Takes this lazy child's number from its parent (rule 4) and returns the prefix.
     *
     * <p>Design note: two threads often use one child for the first time at once: a traced
     * method that hands two tasks to a pool is first numbered by both tasks' first calls, on
     * two threads. Only the thread that moves the prefix from null to {@link #CLAIMING} takes
     * a number; the others wait the few hundred nanoseconds that takes (spinning, then
     * yielding). Taking a number each and giving the loser's back left a gap whenever the
     * later number won (docs/RATIONALE.md, "A child scope takes its number when it first writes"). The wait cannot deadlock: the
     * claiming thread only waits, in turn, for an ancestor's claim. A monitor would inflate on
     * exactly these races and park the waiter for longer than the claim takes.
     */
    private String claim() {
        if (PREFIX.compareAndSet(this, null, CLAIMING)) {
            String mine;
            try {
                Scope p = parent;
                mine = p.callId(p.nextCall());
            } catch (Throwable t) {
                prefix = null;   // nothing taken (an error in the parent's claim): a later call tries again
                throw t;
            }
            prefix = mine;
            return mine;
        }
        String p;
        for (int spins = 0; (p = prefix) == CLAIMING || p == null; spins++) {
            if (p == null) {
                return claim();   // the claiming thread failed: take the number here
            }
            if (spins >= 100) {
                Thread.yield();   // (Java 8: no Thread.onSpinWait) the claiming thread lost its core
            }
        }
        return p;
    }

    /** The trace id. */
    public String traceId() {
        String t = traceId;
        if (t == null) {
            t = new String(traceIdBytes, StandardCharsets.ISO_8859_1);   // valid ids are ASCII
            traceId = t;
        }
        return t;
    }

    /**
     * The trace id as a string if this scope has it, else null: a scope entered from bytes
     * ({@link #enterAscii}) before anything asked for {@link #traceId()}. Records then take
     * {@link #traceIdBytes()}.
     */
    public String traceIdIfString() {
        return traceId;
    }

    /**
     * The trace id as its UTF-8 (ASCII: a valid id is) bytes, for carriers whose values are bytes
     * (Kafka headers, gRPC metadata). Made once per scope and shared by every call of the scope:
     * callers must not change the array (docs/RATIONALE.md, "Per-call cost").
     */
    public byte[] traceIdBytes() {
        byte[] b = traceIdBytes;
        String t = traceId;
        if (b == null || (t != null && !holds(b, t))) {
            // made, or made again: an application that wrote into a header value it was handed
            // (a Kafka producer interceptor) changed it, and no later call sends that
            b = traceId().getBytes(StandardCharsets.UTF_8);
            traceIdBytes = b;   // racing threads make equal arrays; a volatile write publishes the contents
        }
        return b;
    }

    /** True when {@code b} holds {@code ascii}'s characters (a valid trace id is ASCII; any other is remade each time). */
    private static boolean holds(byte[] b, String ascii) {
        int n = ascii.length();
        if (b.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b[i] != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The prefix: the caller's id, or the id of this child scope (which a lazy child takes
     * now if it has not yet, see {@link #child()}).
     */
    public String prefix() {
        String p = prefix;
        return p != null && p != CLAIMING ? p : claim();
    }

    /** True once this scope has its prefix: always for an entered scope, for a child once it has taken its number. */
    public boolean numbered() {
        String p = prefix;
        return p != null && p != CLAIMING;
    }

    /** The counter now. */
    public int counter() {
        return counter;
    }

    /** The current id (rule 3): {@code prefix + "." + counter}. */
    public String currentId() {
        return callId(counter);
    }

    /** True when this trace runs in debug mode (docs/propagation.md#debug-mode). */
    public boolean debug() {
        return debug;
    }

    /** Headers that came in and are forwarded on every outgoing call, or null. */
    public Forwarded forwarded() {
        return forwarded;
    }

    @Override
    public String toString() {
        String p = prefix;
        return "Scope{" + traceId() + ' ' + (p != null && p != CLAIMING ? p : parent + " child") + '.' + counter + (debug ? " debug" : "") + '}';
    }
}
