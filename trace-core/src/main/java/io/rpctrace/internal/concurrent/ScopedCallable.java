package io.rpctrace.internal.concurrent;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import java.util.concurrent.Callable;

/** Like {@link ScopedTask} for a {@link Callable}: the wrapper of {@code Trace.wrap(Callable)}. */
public final class ScopedCallable<T> implements Callable<T> {
    private final Callable<T> task;
    private final Scope scope;

    /** {@code task} runs with {@code scope} current; the thread's own scope is put back after. */
    public ScopedCallable(Callable<T> task, Scope scope) {
        this.task = task;
        this.scope = scope;
    }

    @Override
    public T call() throws Exception {
        Scope previous = CurrentScope.set(scope);
        try {
            return task.call();
        } finally {
            CurrentScope.restore(previous);
        }
    }

    @Override
    public String toString() {
        return task.toString();
    }
}
