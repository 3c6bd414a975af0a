package io.rpctrace.internal.concurrent;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.AdviceErrors;

/**
 * Tasks that continue their creator's operation rather than start one of their own: an OkHttp
 * {@code enqueue}d call that the client's dispatcher runs on its pool. Such a task runs in the
 * scope current when it was created, not in a child scope (docs/model.md#rule-4: a
 * continuation is not a hand-off), so the call it makes is numbered in its caller's scope like
 * a synchronous call. Called from instrumentation advice; every method is total.
 *
 * <pre>{@code
 * // the task's constructor, on the caller's thread
 * Continuations.capture(task);
 * // the task's body, on a pool thread (after the executors module made its child current)
 * Scope previous = Continuations.enter(task);
 * try { body(); } finally { Continuations.exit(previous); }
 * }</pre>
 */
public final class Continuations {
    /** Returned by {@link #enter} when nothing was changed; {@link #exit} then does nothing. */
    private static final Scope UNCHANGED = Scope.newRoot();
    private static final WeakIdentityMap<Scope> SCOPES = new WeakIdentityMap<>();

    private Continuations() {
    }

    /** Remembers the current scope, if any, for {@code task}. */
    public static void capture(Object task) {
        try {
            capture(task, CurrentScope.get());
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /**
     * Remembers {@code scope} for {@code task}: the scope of the call the task continues, which
     * is not current when the call was made outside any scope (its trace of its own, rule 6).
     */
    public static void capture(Object task, Scope scope) {
        try {
            if (scope != null && task != null) {
                SCOPES.put(task, scope);
            }
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /**
     * Makes the scope captured for {@code task} current and forgets it (a continuation runs
     * once); returns what to pass to {@link #exit}.
     */
    public static Scope enter(Object task) {
        try {
            if (task == null || SCOPES.isEmpty()) {
                return UNCHANGED;
            }
            Scope s = SCOPES.get(task);
            if (s == null) {
                return UNCHANGED;
            }
            SCOPES.remove(task);
            return CurrentScope.set(s);
        } catch (Throwable t) {
            AdviceErrors.record(t);
            return UNCHANGED;
        }
    }

    /** Puts back what {@link #enter} returned. */
    public static void exit(Scope previous) {
        if (previous != UNCHANGED) {
            CurrentScope.restore(previous);
        }
    }

    /** How many continuations wait to run (tests: nothing is retained). */
    public static int size() {
        return SCOPES.size();
    }
}
