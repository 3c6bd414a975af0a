package io.rpctrace.context;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

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
 * never share an id (rule 5). Everything else is immutable.
 */
public final class Scope {
    private static final AtomicIntegerFieldUpdater<Scope> COUNTER =
            AtomicIntegerFieldUpdater.newUpdater(Scope.class, "counter");

    private final String traceId;
    private final String prefix;
    private final boolean debug;
    private final Forwarded forwarded;
    private volatile int counter;
    // Design note: set once, by the first debug scope of the JVM, and never cleared. Logging
    // filters read it before the thread-local scope: until a debug request arrives, a disabled
    // logger.debug(...) costs a plain read instead of a thread-local lookup. Clearing it when
    // debug scopes end would need every thread hop of a debug trace to be counted out.
    private static volatile boolean debugSeen;

    private Scope(String traceId, String prefix, int counter, boolean debug, Forwarded forwarded) {
        this.traceId = traceId;
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
        return new Scope(tid, prefix, 1, debug, forwarded);
    }

    /**
     * A root scope of a new trace for work outside any scope (rule 6): prefix {@code 0} and
     * counter 0, so that the first call or child is {@code 0.1}.
     */
    public static Scope newRoot() {
        return new Scope(TraceId.generate(), RpcId.ROOT, 0, false, null);
    }

    /** Rule 2: increments the counter and returns it; the call's id is {@code prefix.n}. */
    public int nextCall() {
        return COUNTER.incrementAndGet(this);
    }

    /** The id of call {@code n} of this scope: {@code prefix + "." + n}. */
    public String callId(int n) {
        return prefix + '.' + n;
    }

    /** Rule 2 as a string: increments the counter and returns the call's id. */
    public String nextCallId() {
        return callId(nextCall());
    }

    /** Rule 4: a child scope for a task or local span; its prefix is {@code prefix.n}, its counter 1. */
    public Scope child() {
        return new Scope(traceId, callId(nextCall()), 1, debug, forwarded);
    }

    /** The trace id. */
    public String traceId() {
        return traceId;
    }

    /** The prefix: the caller's id, or the id of this child scope. */
    public String prefix() {
        return prefix;
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
        return "Scope{" + traceId + ' ' + prefix + '.' + counter + (debug ? " debug" : "") + '}';
    }
}
