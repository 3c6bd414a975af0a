package io.rpctrace.context;

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
    // Design note: a plain ThreadLocal, not an InheritableThreadLocal. Inheritance would leak a
    // request's scope into every thread a pool happens to create while serving it; rule 4 is
    // applied explicitly where a task is handed over instead.
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private CurrentScope() {
    }

    /** The current scope, or null outside any scope. */
    public static Scope get() {
        return CURRENT.get();
    }

    /**
     * True when the current scope is in debug mode (docs/propagation.md#debug-mode): what
     * {@code capture.param} leaves out is captured for this trace anyway.
     */
    public static boolean debug() {
        Scope s = CURRENT.get();
        return s != null && s.debug();
    }

    /** Makes {@code scope} current (null clears) and returns the previous one. */
    public static Scope set(Scope scope) {
        Scope previous = CURRENT.get();
        CURRENT.set(scope);
        return previous;
    }

    /**
     * Puts back the scope that {@link #set} returned.
     *
     * <p>Design note: a null is stored rather than the entry removed: removing and re-adding
     * the thread-local entry allocates on every request of a pooled thread, while a null
     * value retains nothing.
     */
    public static void restore(Scope previous) {
        CURRENT.set(previous);
    }
}
