package io.rpctrace.internal.concurrent;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;

/**
 * Runs a task in the child scope made when it was handed over (rule 4): the wrapper of
 * {@code Trace.wrap(Runnable)}, and of the lambdas the agent cannot associate a scope with
 * ({@link TaskScopes#submit}). One class for both, so that neither wraps the other's tasks
 * again: a task already wrapped keeps the child it was given.
 */
public final class ScopedTask implements Runnable {
    private final Runnable task;
    private final Scope scope;

    /** {@code task} runs with {@code scope} current; the thread's own scope is put back after. */
    public ScopedTask(Runnable task, Scope scope) {
        this.task = task;
        this.scope = scope;
    }

    @Override
    public void run() {
        Scope previous = CurrentScope.set(scope);
        try {
            task.run();
        } finally {
            CurrentScope.restore(previous);
        }
    }

    @Override
    public String toString() {
        return task.toString();
    }
}
