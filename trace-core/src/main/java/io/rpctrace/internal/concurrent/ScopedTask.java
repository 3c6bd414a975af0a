package io.rpctrace.internal.concurrent;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;

/** Runs a task in the child scope made when it was submitted (used only for lambdas). */
final class ScopedTask implements Runnable {
    private final Runnable task;
    private final Scope scope;

    ScopedTask(Runnable task, Scope scope) {
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

    /** The task as the application submitted it. */
    Runnable unwrap() {
        return task;
    }

    @Override
    public String toString() {
        return task.toString();
    }
}
