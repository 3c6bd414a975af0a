package io.rpctrace.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.instrumentation.reactor.SchedulerTasks;
import io.rpctrace.internal.concurrent.ScopedTask;
import org.junit.jupiter.api.Test;

/** The scheduler advice's logic: the task keeps the same scope; the executor sees none. */
class SchedulerTasksTest {
    @Test
    void aTaskRunsInTheSameScopeAndSpendsNoId() {
        Scope request = Scope.enter(null, null, false);
        Scope[] seen = new Scope[1];
        Scope previous = CurrentScope.set(request);
        Runnable handed;
        try {
            handed = SchedulerTasks.inScope(() -> seen[0] = CurrentScope.get(), request);
            assertNull(CurrentScope.get(), "the executor takes the task without a scope");
            SchedulerTasks.restore(request);
            assertSame(request, CurrentScope.get());
        } finally {
            CurrentScope.restore(previous);
        }
        handed.run();
        assertSame(request, seen[0]);
        assertEquals(1, request.counter());
        assertNull(CurrentScope.get());
    }

    @Test
    void aWrappedTaskIsNotWrappedAgain() {
        Scope request = Scope.enter(null, null, false);
        ScopedTask task = new ScopedTask(() -> { }, request);
        assertSame(task, SchedulerTasks.inScope(task, request));
        SchedulerTasks.restore(null);
        CurrentScope.set(null);
    }

    @Test
    void suspendAndRestore() {
        assertNull(SchedulerTasks.suspend());
        Scope request = Scope.enter(null, null, false);
        CurrentScope.set(request);
        assertSame(request, SchedulerTasks.suspend());
        assertNull(CurrentScope.get());
        SchedulerTasks.restore(request);
        assertSame(request, CurrentScope.get());
        CurrentScope.set(null);
    }
}
