package io.rpctrace.context;

import io.rpctrace.internal.ThreadSlots;

/**
 * The scope current on this thread. One instance per JVM: with the agent, this class is on
 * the bootstrap class path, so the agent's instrumentation and an application's manual API
 * calls see the same scope.
 *
 * <pre>{@code
 * Scope previous = CurrentScope.set(child);
 * try { task.run(); } finally { CurrentScope.restore(previous); }
 * }</pre>
 */
public final class CurrentScope {
    // Design note: a thread's own slot (ThreadSlots, one ThreadLocal entry for all of rpctrace's
    // per-thread state), never inherited. Inheritance would leak a request's scope into every
    // thread a pool happens to create while serving it; rule 4 is applied explicitly where a
    // task is handed over instead.
    private static final int SLOT = ThreadSlots.newSlot();

    private CurrentScope() {
    }

    /** The current scope, or null outside any scope. */
    public static Scope get() {
        return (Scope) ThreadSlots.current().get(SLOT);
    }

    /**
     * True when the current scope is in debug mode (docs/propagation.md#debug-mode): what
     * {@code capture.param} leaves out is captured for this trace anyway.
     */
    public static boolean debug() {
        Scope s = get();
        return s != null && s.debug();
    }

    /** Makes {@code scope} current (null clears) and returns the previous one. */
    public static Scope set(Scope scope) {
        ThreadSlots t = ThreadSlots.current();
        Scope previous = (Scope) t.get(SLOT);
        t.set(SLOT, scope);
        return previous;
    }

    /**
     * The current scope in {@code slots}, this thread's state ({@link ThreadSlots#current()}), or
     * null: for a caller that reads and sets the scope around one call with one lookup.
     */
    public static Scope get(ThreadSlots slots) {
        return (Scope) slots.get(SLOT);
    }

    /** Makes {@code scope} current (null clears) in {@code slots}, this thread's state. */
    public static void set(ThreadSlots slots, Scope scope) {
        slots.set(SLOT, scope);
    }

    /**
     * Puts back the scope that {@link #set} returned.
     *
     * <p>Design note: a null is stored, which retains nothing; the thread's slots stay for
     * its next request.
     */
    public static void restore(Scope previous) {
        ThreadSlots.current().set(SLOT, previous);
    }
}
