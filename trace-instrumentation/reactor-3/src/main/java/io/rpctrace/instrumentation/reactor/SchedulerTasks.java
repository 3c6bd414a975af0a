package io.rpctrace.instrumentation.reactor;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.concurrent.ScopedTask;

/**
 * What the scheduler advice does with a task scheduled inside a scope: the task runs in that
 * scope (a {@link ScopedTask}, which the executors module never wraps again), and the scope is
 * cleared while the executor takes the task, so the executors module associates no child with it.
 */
public final class SchedulerTasks {
    private SchedulerTasks() {
    }

    /**
     * The task to hand to the executor in place of {@code task}; {@code scope} (the current one)
     * is cleared until {@link #restore}.
     */
    public static Runnable inScope(Runnable task, Scope scope) {
        CurrentScope.set(null);
        return task == null || task instanceof ScopedTask ? task : new ScopedTask(task, scope);
    }

    /** Clears the current scope and returns it (null when there was none) for {@link #restore}. */
    public static Scope suspend() {
        Scope scope = CurrentScope.get();
        if (scope != null) {
            CurrentScope.set(null);
        }
        return scope;
    }

    /** Puts back the scope {@link #inScope} or {@link #suspend} cleared (null: nothing was cleared). */
    public static void restore(Scope scope) {
        if (scope != null) {
            CurrentScope.restore(scope);
        }
    }
}
