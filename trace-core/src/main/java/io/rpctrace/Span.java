package io.rpctrace;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Propagation;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.RecordPool;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.Record;
import io.rpctrace.record.RecordNames;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.BiConsumer;

/**
 * One timed operation: a served request ({@link Trace#enter}), a local span
 * ({@link Trace#span}) or a client call ({@link Trace#call}). Closing it writes one record;
 * the setters fill that record's {@code x_*} fields (docs/record.md#fields).
 *
 * <pre>{@code
 * try (Span call = Trace.call("http.post").action(url)) {
 *     call.inject(request::setHeader);              // X-Trace-Id, X-Rpc-Id (call.rpcId()), ...
 *     call.code(String.valueOf(send(request)));
 * } catch (IOException e) {
 *     // the try-with-resources closed the span already; mark errors before it closes
 * }
 * }</pre>
 *
 * <p>A span is used by one thread at a time. Setters return the span; calling them after
 * {@link #close()} has no effect. Closing twice writes one record.
 */
public final class Span implements AutoCloseable {
    enum Kind { ENTER, LOCAL, CALL }

    /** A client call ({@link Kind#CALL}): it has ids to send and no scope of its own to leave. */
    private static final int CALL = 1;
    /** The record comes from {@link RecordPool} and goes back to it once written (instrumentation's spans). */
    private static final int POOLED = 2;
    /** A served request feeds the per-client-IP windows; a consumed message does not. */
    private static final int SERVED = 4;

    private static final AtomicIntegerFieldUpdater<Span> CLOSED =
            AtomicIntegerFieldUpdater.newUpdater(Span.class, "closed");
    private static final Propagation.Setter<BiConsumer<String, String>> HEADER =
            (header, name, value) -> header.accept(name, value);

    static {
        // Instrumentation reaches the package-private members below through this accessor
        // (docs/RATIONALE.md, "Instrumentation hooks outside the API").
        SpanHooks.install(new SpanHooks.Access() {
            @Override
            protected Span enter(String recordName, Scope scope) {
                return Span.enter(recordName, scope, true);
            }

            @Override
            protected Span call(String recordName) {
                return Span.call(recordName, true);
            }

            @Override
            protected Scope scope(Span span) {
                return span.scope;
            }

            @Override
            protected void requestLen(Span span, long bytes) {
                span.requestLen(bytes);
            }

            @Override
            protected void responseBytes(Span span, long bytes) {
                span.responseBytes(bytes);
            }

            @Override
            protected <C> void inject(Span span, C carrier, Propagation.Setter<C> setter, boolean lowerCase) {
                Propagation.inject(carrier, setter, span.scope, span.data.rpcPrefix(), span.data.rpcSeq(), lowerCase);
            }

            @Override
            protected void abandon(Span span) {
                span.abandon();
            }
        });
    }

    /**
     * {@link #CALL}, {@link #POOLED}, {@link #SERVED}: final facts of the span in one byte
     * rather than an enum reference and two booleans. The flags written after the constructor
     * ({@code failed}, {@code scopeExited}) stay fields of their own.
     *
     * <p>Design note: a span is allocated per record, so it holds only what its record cannot:
     * the ids, the start time and the served request's byte counts live in the record
     * ({@link Record#startNanos}, {@link Record#bytesIn}), which an instrumentation span takes
     * from {@link RecordPool}. That keeps a span at 32 bytes instead of 64 (docs/RATIONALE.md,
     * "Per-call cost"); the price is that a pooled span's {@link #rpcId()} is its record's and
     * means nothing once the span is closed (instrumentation never asks then).
     */
    private final byte traits;
    private final Scope scope;
    private final Scope previous;
    private final Record data;
    private boolean failed;
    /** 1 once {@link #close()} began: set by one compare-and-set, so a span is written (and its record given back) once. */
    private volatile int closed;
    private boolean scopeExited;

    Span(Kind kind, String name, Scope scope, Scope previous, String rpcPrefix, int rpcSeq) {
        this(kind, name, scope, previous, rpcPrefix, rpcSeq, false);
    }

    private Span(Kind kind, String name, Scope scope, Scope previous, String rpcPrefix, int rpcSeq, boolean pooled) {
        boolean served = kind == Kind.ENTER && RecordNames.REQUEST_INFO.equals(name);
        this.traits = (byte) ((kind == Kind.CALL ? CALL : 0) | (pooled ? POOLED : 0) | (served ? SERVED : 0));
        this.data = pooled ? RecordPool.take() : new Record();
        this.scope = scope;
        this.previous = previous;
        String traceId = scope.traceIdIfString();
        if (traceId != null) {
            data.traceId(traceId);
        } else {
            data.traceIdAscii(scope.traceIdBytes());   // a scope entered from bytes: no string made for the record
        }
        data.startNanos(System.nanoTime()).name(name == null || name.isEmpty() ? "span" : name)
                .rpcId(rpcPrefix, rpcSeq)
                .timestampMs(System.currentTimeMillis())
                .threadId(Thread.currentThread().getId());
    }

    /** Rule 1: makes {@code scope} current; the entry's record is {@code name} at {@code prefix.1}. */
    static Span enter(String name, Scope scope) {
        return enter(name, scope, false);
    }

    private static Span enter(String name, Scope scope, boolean pooled) {
        Scope previous = CurrentScope.set(scope);
        return new Span(Kind.ENTER, name, scope, previous, scope.prefix(), 1, pooled);
    }

    /**
     * Rule 2: a client call in the current scope (a new trace outside any); {@code pooled} for
     * instrumentation's spans, whose record is reused once written (see {@link #close()}).
     */
    static Span call(String name, boolean pooled) {
        Scope parent = CurrentScope.get();
        if (parent == null) {
            parent = Scope.newRoot();
        }
        int n = parent.nextCall();
        return new Span(Kind.CALL, name, parent, null, parent.prefix(), n, pooled);
    }

    /** The trace id of this span. */
    public String traceId() {
        return scope.traceId();
    }

    /**
     * The RPC id of this span's record. For a client call this is what goes downstream
     * ({@code X-Rpc-Id}); for a served request it is {@code prefix.1}; for a local span the
     * child prefix.
     */
    public String rpcId() {
        return data.rpcId();
    }

    /** True when this span's trace runs in debug mode (docs/propagation.md#debug-mode). */
    public boolean debug() {
        return scope.debug();
    }

    /**
     * Puts the headers of this call on an outgoing request, through {@code header}
     * ({@code request::setHeader}): {@code X-Trace-Id}, {@code X-Rpc-Id} ({@link #rpcId()}), in a
     * debug trace {@code X-Debug} and the token bound to this trace (never the configured
     * secret), a W3C {@code traceparent}, and the {@code tracestate}, B3 and
     * {@code x-request-id} headers the served request came with (docs/propagation.md#headers).
     * The callee's {@code Trace.enter(request::getHeader)} reads them back. Only a client call
     * ({@link Trace#call}) has ids to send: on a served request or a local span this writes
     * nothing. Returns this span.
     */
    public Span inject(BiConsumer<String, String> header) {
        if ((traits & CALL) != 0 && header != null) {
            Propagation.inject(header, HEADER, scope, rpcId(), false);
        }
        return this;
    }

    /** {@code x_module}, e.g. {@code order_dao_find}. */
    public Span module(String v) { if (closed == 0) { data.module(v); } return this; }
    /** {@code x_action}: URL, SQL, command, topic or method. */
    public Span action(String v) { if (closed == 0) { data.action(v); } return this; }
    /** {@code x_host}: the remote end, {@code ip:port}. */
    public Span host(String v) { if (closed == 0) { data.host(v); } return this; }
    /** {@code x_code}: status, driver or error code. */
    public Span code(String v) { if (closed == 0) { data.code(v); } return this; }
    /** {@code x_msg}: an error or a note. */
    public Span msg(String v) { if (closed == 0) { data.msg(v); } return this; }
    /** {@code x_param}: parameters as JSON text. */
    public Span param(String v) { if (closed == 0) { data.param(v); } return this; }
    /** {@code x_response}: a response excerpt (truncated by the writer when too long). */
    public Span response(String v) { if (closed == 0) { data.response(v); } return this; }
    /** {@code x_response_len}: response size in bytes or rows. */
    public Span responseLen(long v) { if (closed == 0) { data.responseLen(v); } return this; }
    /** {@code x_db}: database name. */
    public Span db(String v) { if (closed == 0) { data.db(v); } return this; }
    /** {@code x_instance_name}: configured name of a datasource or client. */
    public Span instanceName(String v) { if (closed == 0) { data.instanceName(v); } return this; }
    /** {@code x_client_ip}: the caller. */
    public Span clientIp(String v) { if (closed == 0) { data.clientIp(v); } return this; }
    /** {@code x_server_ip}: this host. */
    public Span serverIp(String v) { if (closed == 0) { data.serverIp(v); } return this; }
    /** {@code x_user_agent}. */
    public Span userAgent(String v) { if (closed == 0) { data.userAgent(v); } return this; }
    /** {@code x_source}: Referer or origin. */
    public Span source(String v) { if (closed == 0) { data.source(v); } return this; }
    /** {@code x_uid}: the user id when known. */
    public Span uid(String v) { if (closed == 0) { data.uid(v); } return this; }
    /** {@code x_dns_duration} in nanoseconds. */
    public Span dnsNanos(long v) { if (closed == 0) { data.dnsNanos(v); } return this; }
    /** An {@code x_extra} string entry. */
    public Span extra(String key, String value) { if (closed == 0) { data.extra(key, value); } return this; }
    /** An {@code x_extra} integer entry. */
    public Span extra(String key, long value) { if (closed == 0) { data.extra(key, value); } return this; }
    /** An {@code x_extra} float entry. */
    public Span extra(String key, double value) { if (closed == 0) { data.extra(key, value); } return this; }

    /** {@code metric.ip} {@code bytes_in} of a served request (SpanHooks#requestLen). */
    void requestLen(long v) {
        if (closed == 0 && v > 0) {
            data.bytesIn(v);
        }
    }

    /** {@code metric.ip} {@code bytes_out} of a served request (SpanHooks#responseBytes). */
    void responseBytes(long v) {
        if (closed == 0 && v >= 0) {
            data.bytesOut(v);
        }
    }

    /**
     * Marks the operation failed: when the span closes its record is written as
     * {@code <name>.error} ({@code mysql.request.error}), with the throwable's stack in
     * {@code x_backtrace} and its text in {@code x_msg} unless set. Writes no record of its
     * own (for a levelled {@code log.error} record see {@link Trace#error}). A null throwable
     * only marks the failure.
     */
    public Span error(Throwable t) {
        if (closed == 0) {
            failed = true;
            if (t != null) {
                data.error(t);
                if (data.msg() == null) {
                    data.msg(t.toString());
                }
            }
        }
        return this;
    }

    /** Marks the operation failed without a throwable (e.g. a 5xx status): the record becomes {@code <name>.error}. */
    public Span failed() {
        return error(null);
    }

    /**
     * Leaves the span's scope on this thread without ending the span: for work that finishes
     * on another thread (an async servlet, a callback). The thread gets back the scope it had
     * before; a later {@link #close()}, from any thread, writes the record. Idempotent.
     */
    public Span exitScope() {
        if (!scopeExited) {
            scopeExited = true;
            if ((traits & CALL) == 0) {
                CurrentScope.restore(previous);
            }
        }
        return this;
    }

    /**
     * Ends the span: restores the previous scope (served requests, local spans) unless
     * {@link #exitScope()} did already, and writes the record.
     */
    @Override
    public void close() {
        if (closed != 0 || !CLOSED.compareAndSet(this, 0, 1)) {
            return;
        }
        data.durationNanos(System.nanoTime() - data.startNanos());
        if (failed) {
            data.name(RecordNames.error(data.name()));
        }
        exitScope();
        Tracing tracing = Tracing.get();
        // Design note: an instrumentation's span is not touched after it closes (setters check
        // closed first), so its pooled record is handed to the writer by reference rather than
        // copied into a ring slot, and the writer gives it back to the pool once encoded. A
        // served request's pooled record carries what the per-client-IP windows need, and
        // whoever observes it for its module timer (the writer thread, after encoding it) feeds
        // them too; from the hand-over on the writer thread may be encoding or clearing it, so a
        // record copied instead has its figures read before and fed after (docs/RATIONALE.md,
        // "Per-call cost" and "Module timers are fed on the writer thread").
        String clientIp = (traits & SERVED) != 0 ? data.clientIp() : null;
        if (clientIp == null) {
            write(tracing);
            return;
        }
        if ((traits & POOLED) != 0) {
            data.ipWindow(failed ? Record.IP_FAILED : Record.IP_SERVED);
            write(tracing);
            return;
        }
        long bytesIn = data.bytesIn();
        long bytesOut = data.bytesOut() >= 0 ? data.bytesOut() : data.responseLen();
        long durationNanos = data.durationNanos();
        String code = data.code();
        write(tracing);
        // per-client-IP windows only for served requests whose caller is known (docs/metrics.md)
        tracing.served(clientIp, bytesIn, bytesOut, durationNanos, code, failed);
    }

    /**
     * Ends the span without writing its record: the operation it stood for did not happen after
     * all (a message handed to a listener that stopped before it, to be delivered again). Restores
     * the previous scope like {@link #close()}; a pooled record goes back to the pool unwritten.
     */
    void abandon() {
        if (closed != 0 || !CLOSED.compareAndSet(this, 0, 1)) {
            return;
        }
        exitScope();
        if ((traits & POOLED) != 0) {
            RecordPool.give(data);
        }
    }

    /** Writes the record: a pooled one by reference (the writer gives it back to the pool), else a copy. */
    private void write(Tracing tracing) {
        if ((traits & POOLED) != 0) {
            tracing.emitPooled(data);
        } else {
            tracing.emit(data);
        }
    }
}
