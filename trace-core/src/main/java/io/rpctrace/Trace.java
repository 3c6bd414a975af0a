package io.rpctrace;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Propagation;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.Level;
import io.rpctrace.record.RecordNames;
import io.rpctrace.internal.concurrent.ScopedCallable;
import io.rpctrace.internal.concurrent.ScopedExecutorService;
import io.rpctrace.internal.concurrent.ScopedTask;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * The manual API (docs/model.md#the-manual-api): the only package applications use is
 * {@code io.rpctrace} ({@code Trace}, {@link Span}, {@link Counter}, {@link Timer}); every
 * other package is internal and may change in any release. Works on its own; with the agent attached, these calls and the agent's
 * instrumentation share one scope.
 *
 * <pre>{@code
 * try (Span req = Trace.enter(request::getHeader).action("/orders")) {   // request.info 0.1
 *     try (Span q = Trace.call("mysql.request").action("select * from orders where id = ?")) {
 *         db.query(...);                                                // mysql.request 0.2
 *     }
 *     try (Span http = Trace.call("http.post").action(url)) {
 *         http.inject(outgoing::setHeader);                             // X-Rpc-Id: 0.3
 *     }
 *     Trace.info("order_api", "order created");                         // log.info 0.3
 *     executor.submit(Trace.wrap(() -> audit(order)));                 // runs under 0.4
 * }
 * }</pre>
 */
public final class Trace {
    private static final Propagation.Getter<Function<String, String>> HEADER = (header, name) -> header.apply(name);

    private Trace() {
    }

    /**
     * Begins serving a request (rule 1) from the caller's ids: a new trace when they are absent
     * or invalid. The scope becomes current; closing the span writes {@code request.info} at
     * {@code prefix.1} and restores the previous scope.
     */
    public static Span enter(String traceId, String rpcId) {
        return Span.enter(RecordNames.REQUEST_INFO, Scope.enter(traceId, rpcId, false));
    }

    /**
     * Begins serving a request (rule 1) from its headers, read by name through {@code header}
     * ({@code request::getHeader}, or {@code map::get} of a map that ignores case): what the
     * agent honours for the requests it serves (docs/propagation.md#headers).
     * {@code X-Trace-Id}/{@code X-Rpc-Id}; without a trace id, W3C {@code traceparent}, B3 or
     * Envoy's {@code x-request-id} (docs/propagation.md#interop), whose {@code tracestate}, B3
     * and {@code x-request-id} values then go out again with every call span's
     * {@link Span#inject}; debug mode with {@code X-Debug: 1} and an {@code X-Debug-Token} that
     * is the configured {@code debug.token} or the token a debug-mode caller bound to this trace
     * (docs/propagation.md#debug-mode). Invalid values count as absent. Closing the span writes
     * {@code request.info} and restores the previous scope.
     */
    public static Span enter(Function<String, String> header) {
        return Span.enter(RecordNames.REQUEST_INFO, Propagation.extract(header, HEADER, null));
    }

    /**
     * A local child span (rule 4): the child scope becomes current, and closing the span writes
     * one record named {@code name} at the child prefix; calls made inside it get ids under that
     * prefix. Outside any scope it starts a new trace.
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
     * send downstream ({@link Span#inject} puts it on the request); closing the span writes one
     * record named {@code name} ({@code mysql.request}, {@code http.post}) at that id. Outside
     * any scope the call gets a trace of its own with id {@code 0.1}.
     */
    public static Span call(String name) {
        return Span.call(name, false);
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

    /** True when the current trace runs in debug mode (docs/propagation.md#debug-mode). */
    public static boolean isDebug() {
        Scope s = CurrentScope.get();
        return s != null && s.debug();
    }

    // ---- levelled records (rule 3: at the current id; outside a trace, a trace of their own) ----

    /** Writes a {@code log.debug} record, only in debug mode or when {@code logs.level} is DEBUG or lower. */
    public static void debug(String module, String msg) {
        Tracing.get().log(Level.DEBUG, module, msg, null);
    }

    /** Writes a {@code log.trace} record, only in debug mode with {@code debug.level=TRACE}, or at TRACE level. */
    public static void trace(String module, String msg) {
        Tracing.get().log(Level.TRACE, module, msg, null);
    }

    /** Writes a {@code log.info} record ({@code x_module}, {@code x_msg}) when {@code logs.level} admits INFO. */
    public static void info(String module, String msg) {
        Tracing.get().log(Level.INFO, module, msg, null);
    }

    /** Writes a {@code log.notice} record when {@code logs.level} admits NOTICE. */
    public static void notice(String module, String msg) {
        Tracing.get().log(Level.NOTICE, module, msg, null);
    }

    /** Writes a {@code log.warn} record when {@code logs.level} admits WARN. */
    public static void warn(String module, String msg) {
        Tracing.get().log(Level.WARN, module, msg, null);
    }

    /**
     * Writes a {@code log.error} record: a levelled log line, not a failed operation (to mark a
     * span failed, so that its record becomes {@code <name>.error}, use {@link Span#error}).
     */
    public static void error(String module, String msg) {
        Tracing.get().log(Level.ERROR, module, msg, null);
    }

    /** Writes a {@code log.alarm} record: something a human must look at now. */
    public static void alarm(String module, String msg) {
        Tracing.get().log(Level.ALARM, module, msg, null);
    }

    /** Writes a {@code log.exception} record with the throwable's text in {@code x_msg} and its stack in {@code x_backtrace}. */
    public static void exception(String module, Throwable t) {
        Tracing.get().log(Level.ERROR, module, t == null ? null : t.toString(), t);
    }

    // ---- metrics ----

    /**
     * The counter named {@code name} (created on first use; the same instance afterwards): its
     * count goes out in a {@code metric.counter} record every {@code metrics.interval.s}.
     */
    public static Counter counter(String name) {
        return Tracing.get().metrics().counter(name);
    }

    /**
     * The timer named {@code name} (created on first use; the same instance afterwards): its
     * figures go out in a {@code metric.timer} record every {@code metrics.interval.s}.
     */
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
        if (parent == null || task == null || task instanceof ScopedTask) {
            return task;
        }
        return new ScopedTask(task, parent.child());
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
}
