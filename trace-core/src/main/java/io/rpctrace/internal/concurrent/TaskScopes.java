package io.rpctrace.internal.concurrent;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.AdviceErrors;
import io.rpctrace.internal.ThreadSlot;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.RunnableScheduledFuture;

/**
 * docs/model.md#rule-4 for tasks handed to other threads, without wrapping them: at submission
 * the task is associated with a child of the submitter's scope; the thread that runs it
 * makes that child current. Called from the agent's executor advice; every method is
 * total (never throws) and cheap when there is nothing to carry.
 *
 * <p>Two submission flavours:
 * <ul>
 *   <li>{@link #submit(Runnable)}, {@link #associate(Object)}: the last submission wins. A {@code Runnable} handed to
 *       {@code ThreadPoolExecutor.execute} may be submitted again later, from another
 *       request or from none; the association then follows the latest submission, and a
 *       submission outside any scope removes it (the task runs with none).</li>
 *   <li>{@link #submitOnce(Object)}: the first submission wins. For objects that are
 *       submitted once by construction (a {@code Thread}, a {@code ForkJoinTask}, a
 *       {@code CompletableFuture} stage) but may pass several instrumented entry points
 *       on the way ({@code submit} → {@code externalSubmit}, {@code start()} →
 *       {@code start(container)}).</li>
 * </ul>
 *
 * <pre>{@code
 * // submitting thread (advice on ThreadPoolExecutor.execute)
 * task = TaskScopes.submit(task);
 * // worker thread (advice around the task's execution)
 * Scope previous = TaskScopes.enter(task);
 * try { task.run(); } finally { TaskScopes.exit(previous); }
 * }</pre>
 */
public final class TaskScopes {
    /** Returned by {@link #enter} when nothing was changed; {@link #exit} then does nothing. */
    private static final Scope UNCHANGED = Scope.newRoot();

    private static final WeakIdentityMap<Scope> SCOPES = new WeakIdentityMap<>();
    /**
     * Per class: whether a task of that class was ever given a scope. Only such a task can be in
     * {@link #SCOPES}, so a task of any other class (a server's exchange handed from its
     * dispatcher thread, a library's internal task) is run and submitted without the identity
     * hash and map probe a lookup or removal costs (docs/RATIONALE.md, "Tasks of a class never
     * given a scope skip the task map").
     */
    private static final ClassValue<Associated> CLASSES = new ClassValue<Associated>() {
        @Override
        protected Associated computeValue(Class<?> type) {
            return new Associated();
        }
    };
    /** The task a pool worker runs with a scope (between beforeExecute and getTask). */
    private static final ThreadSlot<Object[]> RUNNING = new ThreadSlot<Object[]>() {
        @Override
        protected Object[] initialValue() {
            return new Object[1];
        }
    };
    private static final ThreadSlot<int[]> SUPPRESSED = new ThreadSlot<int[]>() {
        @Override
        protected int[] initialValue() {
            return new int[1];
        }
    };

    private TaskScopes() {
    }

    /**
     * A submission where the last one wins. Returns the task to submit: the same object,
     * or, for a lambda, a wrapper carrying the child scope (see {@link Lambdas}).
     */
    public static Runnable submit(Runnable task) {
        try {
            Scope parent = CurrentScope.get();
            if (task == null || task instanceof ScopedTask) {
                return task;
            }
            if (task instanceof ForkJoinTask || task instanceof CompletableFuture.AsynchronousCompletionTask) {
                // A CompletableFuture stage took its scope when the application created it.
                submitOnce(task);
                return task;
            }
            if (parent == null) {
                if (mayHaveScope(task)) {
                    SCOPES.remove(task);
                }
                return task;
            }
            if (Lambdas.isLambda(task.getClass())) {
                return new ScopedTask(task, parent.child());
            }
            put(task, parent.child());
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
        return task;
    }

    /** A submission where the last one wins, for a task that is never wrapped ({@code ScheduledFutureTask}). */
    public static void associate(Object task) {
        try {
            Scope parent = CurrentScope.get();
            if (task == null) {
                return;
            }
            if (parent == null) {
                if (mayHaveScope(task)) {
                    SCOPES.remove(task);
                }
                return;
            }
            put(task, parent.child());
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /**
     * A submission where the first one wins: associates a child of the current scope unless
     * the task already has one, or submissions are {@linkplain #suppress() suppressed} on
     * this thread.
     */
    public static void submitOnce(Object task) {
        try {
            Scope parent = CurrentScope.get();
            if (parent == null || task == null || SUPPRESSED.get()[0] > 0) {
                return;
            }
            Associated seen = CLASSES.get(task.getClass());
            if (!seen.ever) {
                seen.ever = true;   // before the map holds it: whoever finds the task there sees the flag
                SCOPES.putIfAbsent(task, parent.child());
            } else if (SCOPES.get(task) == null) {
                SCOPES.putIfAbsent(task, parent.child());
            }
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /**
     * Makes the task's scope current, if it has one, and returns what was current before
     * (pass it to {@link #exit}). A task without one leaves the thread as it is: a
     * ForkJoin task that its submitter runs inline keeps the submitter's scope.
     */
    public static Scope enter(Object task) {
        try {
            if (task == null || !mayHaveScope(task)) {
                return UNCHANGED;
            }
            Scope s = SCOPES.get(task);
            if (s == null) {
                return UNCHANGED;
            }
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

    /**
     * Puts back what {@link #enter} returned and forgets {@code task}, which has run and
     * will not run again (a ForkJoin task, a CompletableFuture stage, a thread). Removing the
     * association now, not when the garbage collector clears its weak key, keeps the weak
     * references out of the collector's reference processing.
     */
    public static void exit(Scope previous, Object task) {
        if (previous != UNCHANGED) {
            CurrentScope.restore(previous);
            try {
                SCOPES.remove(task);
            } catch (Throwable t) {
                AdviceErrors.record(t);
            }
        }
    }

    /**
     * For a pool thread between tasks ({@code ThreadPoolExecutor.beforeExecute}): makes the
     * task's scope current, or none when it has none, whatever the thread had before.
     */
    public static void replace(Object task) {
        try {
            Scope s = task == null || !mayHaveScope(task) ? null : SCOPES.get(task);
            if (s != null || CurrentScope.get() != null) {
                CurrentScope.set(s);
            }
            if (s != null) {
                RUNNING.get()[0] = task;
            }
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /**
     * For a pool thread that is idle ({@code ThreadPoolExecutor.getTask}): clears the scope,
     * and forgets the task that ran last unless it runs again (a periodic scheduled task).
     */
    public static void clear() {
        if (CurrentScope.get() != null) {
            CurrentScope.set(null);
        }
        Object[] running = RUNNING.get();
        Object task = running[0];
        if (task != null) {
            running[0] = null;
            try {
                if (!(task instanceof RunnableScheduledFuture && ((RunnableScheduledFuture<?>) task).isPeriodic())) {
                    SCOPES.remove(task);
                }
            } catch (Throwable t) {
                AdviceErrors.record(t);
            }
        }
    }

    /**
     * Stops {@link #submitOnce} on this thread until {@link #unsuppress()}: a pool that
     * creates a worker thread while serving a request must not hand the request's scope to
     * the worker for its whole life.
     */
    public static void suppress() {
        SUPPRESSED.get()[0]++;
    }

    /** Ends a {@link #suppress()}. */
    public static void unsuppress() {
        int[] depth = SUPPRESSED.get();
        if (depth[0] > 0) {
            depth[0]--;
        }
    }

    /** Associates {@code scope} with {@code task}, its class marked first (see {@link #CLASSES}). */
    private static void put(Object task, Scope scope) {
        Associated seen = CLASSES.get(task.getClass());
        if (!seen.ever) {
            seen.ever = true;   // written once per class: no shared line written per submission
        }
        SCOPES.put(task, scope);
    }

    /** False when no task of {@code task}'s class was ever given a scope: then it has none. */
    private static boolean mayHaveScope(Object task) {
        return CLASSES.get(task.getClass()).ever && !SCOPES.isEmpty();
    }

    /** {@link #CLASSES}'s value: set once, never cleared (a class that had one scoped task may have more). */
    private static final class Associated {
        volatile boolean ever;
    }

    /** The scope associated with a task, or null (tests, diagnostics). */
    public static Scope scopeOf(Object task) {
        return task == null ? null : SCOPES.get(task);
    }

    /** How many associations are alive (tests: nothing is retained after tasks are gone). */
    public static int size() {
        return SCOPES.size();
    }
}
