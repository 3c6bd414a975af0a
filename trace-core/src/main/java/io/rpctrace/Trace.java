package io.rpctrace;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.Level;
import io.rpctrace.record.RecordNames;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.ArrayList;

/**
 * The manual API (SPEC §4). Works on its own; with the agent attached, these calls and the
 * agent's instrumentation share one scope.
 *
 * <pre>{@code
 * try (Span req = Trace.enter(headers.get("X-Trace-Id"), headers.get("X-Rpc-Id")).action("/orders")) {
 *     try (Span q = Trace.call("mysql.request").action("select * from orders where id = ?")) {
 *         db.query(...);
 *     }
 *     Trace.info("order_api", "order created");
 *     executor.submit(Trace.wrap(() -> audit(order)));   // runs with child ids
 * }
 * }</pre>
 */
public final class Trace {
    private Trace() {
    }

    /**
     * Begins serving a request (rule 1): ids from the caller, or a new trace when they are
     * absent or invalid. Closing the span writes {@code request.info} and restores the scope.
     */
    public static Span enter(String traceId, String rpcId) {
        return enter(Scope.enter(traceId, rpcId, false));
    }

    /**
     * Like {@link #enter(String, String)} with the debug headers of SPEC §2: debug mode is on
     * when {@code xDebug} is {@code "1"} and {@code xDebugToken} is the configured secret or
     * the trace-bound token a debug-mode caller sent.
     */
    public static Span enter(String traceId, String rpcId, String xDebug, String xDebugToken) {
        Scope scope = Tracing.get().enterFromHeaders(traceId, rpcId, xDebug, xDebugToken, null);
        return enter(scope);
    }

    /** Begins serving a request in a scope the caller built (instrumentation, tests). */
    public static Span enter(Scope scope) {
        Scope previous = CurrentScope.set(scope);
        return new Span(Span.Kind.ENTER, RecordNames.REQUEST_INFO, scope, previous, scope.prefix(), 1);
    }

    /**
     * Like {@link #enter(Scope)} for an entry that is not a served request: a consumed message
     * ({@code kafka.consume}). The record is named {@code recordName} and carries {@code prefix.1}.
     */
    public static Span enterAs(String recordName, Scope scope) {
        Scope previous = CurrentScope.set(scope);
        return new Span(Span.Kind.ENTER, recordName, scope, previous, scope.prefix(), 1);
    }

    /**
     * A local child span (rule 4): the record named {@code name} carries the child prefix, and
     * calls made inside it get ids under that prefix. Outside any scope it starts a new trace.
     */
    public static Span span(String name) {
        Scope parent = CurrentScope.get();
        if (parent == null) {
            parent = Scope.newRoot();
        }
        Scope child = parent.child();
        Scope previous = CurrentScope.set(child);
        return new Span(Span.Kind.LOCAL, name, child, previous, child.prefix(), -1);
    }

    /**
     * A client call (rule 2): the counter is incremented and {@link Span#rpcId()} is the id to
     * send downstream. Outside any scope the call gets a trace of its own with id {@code 0.1}.
     */
    public static Span call(String name) {
        Scope parent = CurrentScope.get();
        if (parent == null) {
            parent = Scope.newRoot();
        }
        int n = parent.nextCall();
        return new Span(Span.Kind.CALL, name, parent, null, parent.prefix(), n);
    }

    /** The current trace id, or {@code ""} outside a trace. */
    public static String traceId() {
        Scope s = CurrentScope.get();
        return s == null ? "" : s.traceId();
    }

    /** The current RPC id ({@code prefix.counter}), or {@code ""} outside a trace. */
    public static String rpcId() {
        Scope s = CurrentScope.get();
        return s == null ? "" : s.currentId();
    }

    /** True when the current trace runs in debug mode. */
    public static boolean isDebug() {
        Scope s = CurrentScope.get();
        return s != null && s.debug();
    }

    // ---- levelled records ----

    /** A {@code log.debug} record: written only in debug mode or when {@code logs.level} is DEBUG or lower. */
    public static void debug(String module, String msg) {
        Tracing.get().log(Level.DEBUG, module, msg, null);
    }

    /** A {@code log.trace} record: only in debug mode with {@code debug.level=TRACE}, or at TRACE level. */
    public static void trace(String module, String msg) {
        Tracing.get().log(Level.TRACE, module, msg, null);
    }

    /** A {@code log.info} record. */
    public static void info(String module, String msg) {
        Tracing.get().log(Level.INFO, module, msg, null);
    }

    /** A {@code log.notice} record. */
    public static void notice(String module, String msg) {
        Tracing.get().log(Level.NOTICE, module, msg, null);
    }

    /** A {@code log.warn} record. */
    public static void warn(String module, String msg) {
        Tracing.get().log(Level.WARN, module, msg, null);
    }

    /** A {@code log.error} record. */
    public static void error(String module, String msg) {
        Tracing.get().log(Level.ERROR, module, msg, null);
    }

    /** A {@code log.alarm} record: something a human must look at now. */
    public static void alarm(String module, String msg) {
        Tracing.get().log(Level.ALARM, module, msg, null);
    }

    /** A {@code log.exception} record with the stack trace in {@code x_backtrace}. */
    public static void exception(String module, Throwable t) {
        Tracing.get().log(Level.ERROR, module, t == null ? null : t.toString(), t);
    }

    // ---- metrics ----

    /** The counter named {@code name} (created on first use; the same instance afterwards). */
    public static Counter counter(String name) {
        return Tracing.get().metrics().counter(name);
    }

    /** The timer named {@code name} (created on first use; the same instance afterwards). */
    public static Timer timer(String name) {
        return Tracing.get().metrics().timer(name);
    }

    // ---- threads (rule 4) ----

    /**
     * Carries the current scope to another thread: the task runs in a child scope made now
     * (so its prefix is fixed at submission, in submission order). Outside a scope the task
     * is returned unchanged.
     */
    public static Runnable wrap(Runnable task) {
        Scope parent = CurrentScope.get();
        if (parent == null || task == null || task instanceof ScopedRunnable) {
            return task;
        }
        return new ScopedRunnable(task, parent.child());
    }

    /** Like {@link #wrap(Runnable)} for a {@link Callable}. */
    public static <T> Callable<T> wrap(Callable<T> task) {
        Scope parent = CurrentScope.get();
        if (parent == null || task == null || task instanceof ScopedCallable) {
            return task;
        }
        return new ScopedCallable<>(task, parent.child());
    }

    /** An executor that wraps every task it is given with {@link #wrap(Runnable)}. */
    public static Executor wrap(Executor executor) {
        if (executor instanceof ExecutorService) {
            return wrap((ExecutorService) executor);
        }
        return command -> executor.execute(wrap(command));
    }

    /** An executor service that wraps every task it is given. */
    public static ExecutorService wrap(ExecutorService executor) {
        return executor instanceof ScopedExecutorService ? executor : new ScopedExecutorService(executor);
    }

    static final class ScopedRunnable implements Runnable {
        private final Runnable task;
        private final Scope scope;

        ScopedRunnable(Runnable task, Scope scope) {
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
    }

    static final class ScopedCallable<T> implements Callable<T> {
        private final Callable<T> task;
        private final Scope scope;

        ScopedCallable(Callable<T> task, Scope scope) {
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
    }

    static final class ScopedExecutorService implements ExecutorService {
        private final ExecutorService delegate;

        ScopedExecutorService(ExecutorService delegate) {
            this.delegate = delegate;
        }

        private <T> List<Callable<T>> wrapAll(Collection<? extends Callable<T>> tasks) {
            List<Callable<T>> out = new ArrayList<>(tasks.size());
            for (Callable<T> t : tasks) {
                out.add(wrap(t));
            }
            return out;
        }

        @Override public void execute(Runnable command) { delegate.execute(wrap(command)); }
        @Override public void shutdown() { delegate.shutdown(); }
        @Override public List<Runnable> shutdownNow() { return delegate.shutdownNow(); }
        @Override public boolean isShutdown() { return delegate.isShutdown(); }
        @Override public boolean isTerminated() { return delegate.isTerminated(); }
        @Override public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
            return delegate.awaitTermination(timeout, unit);
        }
        @Override public <T> Future<T> submit(Callable<T> task) { return delegate.submit(wrap(task)); }
        @Override public <T> Future<T> submit(Runnable task, T result) { return delegate.submit(wrap(task), result); }
        @Override public Future<?> submit(Runnable task) { return delegate.submit(wrap(task)); }
        @Override public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks)
                throws InterruptedException {
            return delegate.invokeAll(wrapAll(tasks));
        }
        @Override public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout,
                                                       TimeUnit unit) throws InterruptedException {
            return delegate.invokeAll(wrapAll(tasks), timeout, unit);
        }
        @Override public <T> T invokeAny(Collection<? extends Callable<T>> tasks)
                throws InterruptedException, ExecutionException {
            return delegate.invokeAny(wrapAll(tasks));
        }
        @Override public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
                throws InterruptedException, ExecutionException, TimeoutException {
            return delegate.invokeAny(wrapAll(tasks), timeout, unit);
        }
    }
}
