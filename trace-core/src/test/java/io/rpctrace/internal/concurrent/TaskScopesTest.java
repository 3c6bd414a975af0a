package io.rpctrace.internal.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskScopesTest {
    @AfterEach
    void clear() {
        CurrentScope.set(null);
    }

    @Test
    void submissionInsideAScopeGivesTheTaskTheNextChild() {
        Scope request = Scope.enter("t1", null, false);         // current id 0.1
        CurrentScope.set(request);
        Runnable task = new Named();
        assertSame(task, TaskScopes.submit(task));
        assertEquals("0.2", TaskScopes.scopeOf(task).prefix());  // rule 4: counter += 1
        CurrentScope.set(null);

        Scope previous = TaskScopes.enter(task);
        assertEquals("0.2.1", CurrentScope.get().currentId());
        TaskScopes.exit(previous);
        assertNull(CurrentScope.get());
    }

    @Test
    void aTaskResubmittedOutsideAnyScopeRunsWithNone() {
        CurrentScope.set(Scope.enter("t1", null, false));
        Runnable task = new Named();
        TaskScopes.submit(task);
        CurrentScope.set(null);
        TaskScopes.submit(task);
        assertNull(TaskScopes.scopeOf(task));
        CurrentScope.set(Scope.enter("leftover", null, false));
        TaskScopes.replace(task);                                // a pool thread before the task
        assertNull(CurrentScope.get());
    }

    /**
     * Tasks of a class never given a scope skip the task map; the first one given a scope marks
     * its class, and from then on the class's tasks are looked up: a scope is still found, and a
     * resubmission outside any scope still takes it away.
     */
    @Test
    void aClassFirstSeenOutsideAnyScopeIsLookedUpOnceOneOfItsTasksHasOne() {
        class FirstOutside implements Runnable {
            @Override
            public void run() {
            }
        }
        Runnable early = new FirstOutside();
        assertSame(early, TaskScopes.submit(early));             // no scope anywhere: nothing kept
        CurrentScope.set(Scope.newRoot());
        TaskScopes.replace(early);
        assertNull(CurrentScope.get(), "a pool thread runs it without the leftover scope");

        CurrentScope.set(Scope.enter("t1", null, false));
        Runnable task = new FirstOutside();
        TaskScopes.submit(task);
        CurrentScope.set(null);
        Scope previous = TaskScopes.enter(task);
        assertEquals("0.2.1", CurrentScope.get().currentId(), "the class is marked: its task's scope is found");
        TaskScopes.exit(previous);
        TaskScopes.submit(task);                                 // resubmitted outside any scope
        assertNull(TaskScopes.scopeOf(task));

        Object once = new FirstOutside();
        CurrentScope.set(Scope.enter("t2", "0.4", false));
        TaskScopes.submitOnce(once);
        TaskScopes.submitOnce(once);
        assertEquals("0.4.2", TaskScopes.scopeOf(once).prefix(), "the first submission wins");
    }

    @Test
    void submitOnceKeepsTheFirstScopeAndHonoursSuppression() {
        Scope request = Scope.enter("t1", "0.3", false);
        CurrentScope.set(request);
        Object task = new Object();
        TaskScopes.submitOnce(task);
        TaskScopes.submitOnce(task);
        assertEquals("0.3.2", TaskScopes.scopeOf(task).prefix());
        assertEquals(2, request.counter());                     // the second call took no id
        Object worker = new Object();
        TaskScopes.suppress();
        try {
            TaskScopes.submitOnce(worker);
        } finally {
            TaskScopes.unsuppress();
        }
        assertNull(TaskScopes.scopeOf(worker));
    }

    @Test
    void lambdasAreWrapped() {
        CurrentScope.set(Scope.enter("t1", null, false));
        AtomicReference<String> seen = new AtomicReference<>();
        Runnable stateless = TaskScopesTest::noop;
        Runnable wrapped = TaskScopes.submit(stateless);
        assertNotSame(stateless, wrapped);
        Runnable capturing = () -> seen.set(Trace());
        Runnable wrapped2 = TaskScopes.submit(capturing);
        assertNotSame(capturing, wrapped2);
        CurrentScope.set(null);
        wrapped.run();
        wrapped2.run();
        // the stateless lambda ran first but wrote nothing: it took no id, so the capturing one is 0.2
        assertEquals("0.2.1", seen.get());
        assertNull(CurrentScope.get());
    }

    @Test
    void aTaskThatRanIsForgottenUnlessItIsPeriodic() {
        CurrentScope.set(Scope.enter("t1", null, false));
        Runnable once = new Named();
        TaskScopes.submit(once);
        Object thread = new Object();
        TaskScopes.submitOnce(thread);
        CurrentScope.set(null);
        TaskScopes.replace(once);               // beforeExecute
        TaskScopes.clear();                     // getTask: the task is done
        assertNull(TaskScopes.scopeOf(once));
        TaskScopes.exit(TaskScopes.enter(thread), thread);
        assertNull(TaskScopes.scopeOf(thread));
        assertNull(CurrentScope.get());
    }

    @Test
    void associationsDoNotKeepTasksAlive() throws Exception {
        CurrentScope.set(Scope.enter("t1", null, false));
        for (int i = 0; i < 10_000; i++) {
            TaskScopes.submit(new Named());
        }
        CurrentScope.set(null);
        for (int i = 0; i < 50 && TaskScopes.size() > 100; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(TaskScopes.size() <= 100, "associations left: " + TaskScopes.size());
    }

    private static String Trace() {
        return CurrentScope.get() == null ? "" : CurrentScope.get().currentId();
    }

    private static void noop() {
    }

    private static final class Named implements Runnable {
        @Override
        public void run() {
        }
    }
}
