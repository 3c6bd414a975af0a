package io.rpctrace.internal;

import io.rpctrace.Span;
import io.rpctrace.context.Propagation;
import io.rpctrace.context.Scope;
import io.rpctrace.record.RecordNames;

/**
 * What instrumentation does with a {@link Span} that the public API does not offer: enter a
 * scope it built itself, name the entry record, reach a span's scope, and feed the per-IP
 * windows figures that are not written in the record. Internal: for rpctrace's own modules
 * (the agent's instrumentation, trace-grpc), not for applications.
 *
 * <pre>{@code
 * Scope scope = Propagation.extract(request, GETTER, rawQuery);
 * Span span = SpanHooks.enter(scope);                      // request.info at prefix.1
 * SpanHooks.requestLen(span, contentLength);               // metric.ip bytes_in
 * Propagation.inject(metadata, SETTER, SpanHooks.scope(call), call.rpcId(), true);
 * }</pre>
 *
 * <p>Design note: {@code Span} stays final with these members package-private. Its static
 * initialiser hands this class an {@link Access} (Brave's {@code brave.internal.InternalPropagation}
 * pattern), so a hook costs one field read and one monomorphic call: no reflection, no public
 * setter on the API type. Until {@code Span} is initialised there is no accessor: the first
 * hook then initialises it (once, outside this class's own initialiser, so two threads that
 * initialise the two classes at the same time cannot deadlock on each other's class lock).
 */
public final class SpanHooks {
    /** The package-private members of {@link Span}; implemented once, by {@code Span} itself. */
    public abstract static class Access {
        /** Makes {@code scope} current and returns the span of an entry (rule 1) whose record is {@code recordName}. */
        protected abstract Span enter(String recordName, Scope scope);

        /** A client call (rule 2) of the current scope whose record is {@code recordName}. */
        protected abstract Span call(String recordName);

        /** The scope {@code span} runs in. */
        protected abstract Scope scope(Span span);

        /** Request body bytes of a served request ({@code metric.ip} {@code bytes_in}). */
        protected abstract void requestLen(Span span, long bytes);

        /** Response bytes of a served request when {@code x_response_len} counts something else. */
        protected abstract void responseBytes(Span span, long bytes);

        /** Writes the headers of the client call {@code span} on {@code carrier}. */
        protected abstract <C> void inject(Span span, C carrier, Propagation.Setter<C> setter, boolean lowerCase);

        /** Ends {@code span} without writing its record. */
        protected abstract void abandon(Span span);
    }

    // No initialiser on purpose: Span's static initialiser may set it while this class is
    // still being initialised on the same thread, and an "= null" would then wipe it.
    private static volatile Access access;

    private SpanHooks() {
    }

    /** Called once, from {@code Span}'s static initialiser; later calls are ignored. */
    public static void install(Access span) {
        if (access == null) {
            access = span;
        }
    }

    /**
     * Begins serving a request in a scope the instrumentation built ({@code Propagation.extract}):
     * the scope becomes current; closing the span writes {@code request.info} at
     * {@code prefix.1} and restores the previous scope.
     */
    public static Span enter(Scope scope) {
        return access().enter(RecordNames.REQUEST_INFO, scope);
    }

    /**
     * Like {@link #enter(Scope)} for an entry that is not a served request: a consumed message.
     * The record is named {@code recordName} ({@code kafka.consume}) and carries {@code prefix.1};
     * it does not feed the per-client-IP windows.
     */
    public static Span enterAs(String recordName, Scope scope) {
        return access().enter(recordName, scope);
    }

    /**
     * A client call (rule 2) as {@code Trace.call(recordName)} makes it, for instrumentation: its
     * record is taken from and given back to a pool ({@link RecordPool}), so the span must not
     * be used once it is closed (instrumentation never does; an application's span might, which
     * is why {@code Trace.call} does not pool). The spans of {@link #enter} and {@link #enterAs}
     * are pooled the same way.
     */
    public static Span call(String recordName) {
        return access().call(recordName);
    }

    /** The scope {@code span} runs in: the new one of an entry or local span, the caller's of a call. */
    public static Scope scope(Span span) {
        return access().scope(span);
    }

    /**
     * Writes the headers of the client call {@code call} (docs/propagation.md#headers) on
     * {@code carrier}, as {@code Propagation.inject(carrier, setter, scope(call), call.rpcId(), lowerCase)}
     * does; a byte carrier ({@link Propagation.AsciiSetter}) gets the call id built as bytes,
     * without the {@code rpcId()} string.
     */
    public static <C> void inject(Span call, C carrier, Propagation.Setter<C> setter, boolean lowerCase) {
        access().inject(call, carrier, setter, lowerCase);
    }

    /**
     * Bytes of a served request's body ({@code Content-Length}, or what was read of a chunked
     * body): {@code bytes_in} of the per-client-IP windows (docs/metrics.md). Not written in
     * the record; values of 0 or less are ignored. Returns {@code span}.
     */
    public static Span requestLen(Span span, long bytes) {
        access().requestLen(span, bytes);
        return span;
    }

    /**
     * Bytes of a served response for {@code bytes_out} of the per-client-IP windows, when
     * {@code x_response_len} counts something else (gRPC: messages). Not written in the record;
     * by default {@code bytes_out} is {@code x_response_len}. Returns {@code span}.
     */
    public static Span responseBytes(Span span, long bytes) {
        access().responseBytes(span, bytes);
        return span;
    }

    /**
     * Ends {@code span} without writing its record, as if it had not begun: for an operation that
     * did not happen after all (a consumed message handed to a listener that stopped before it and
     * will get it again). The previous scope is restored as {@code close()} restores it; a span
     * already closed is left as it is.
     */
    public static void abandon(Span span) {
        access().abandon(span);
    }

    private static Access access() {
        Access a = access;
        return a != null ? a : initialiseSpan();
    }

    private static Access initialiseSpan() {
        try {
            // a class literal does not run Span's static initialiser; Class.forName does
            Class.forName(Span.class.getName(), true, Span.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        return access;
    }
}
