package io.rpctrace.instrumentation.memcache;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.internal.CallerModule;
import io.rpctrace.internal.ResponseCapture;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.internal.concurrent.WeakIdentityMap;
import io.rpctrace.record.RecordNames;
import java.util.Collection;

/**
 * The memcached instrumentations' logic. Both clients hand a command to an I/O thread and
 * complete it there, so a {@code memcache.request} span starts on the caller's thread, in its
 * scope, when the command is queued ({@link #start}), learns its server once the client has
 * placed it ({@link #sent}), collects the status and values the I/O thread reads, and ends when
 * the client completes the command ({@link #complete}, {@link #fail}) — before the
 * application's future or latch is released, so the record precedes whatever the caller does
 * next. A call is keyed by a {@code handle}: the object the client completes (spymemcached's
 * operation callback, xmemcached's command).
 *
 * <p>Design note: java.lang and rpctrace types only (this class is on the boot class path);
 * the advice reads the library's objects and hands over plain values.
 */
public final class MemcacheCalls {
    static final int MAX_IN_FLIGHT = 65_536;
    private static final WeakIdentityMap<Call> IN_FLIGHT = new WeakIdentityMap<>();
    private static final WeakIdentityMap<Span> CONNECTING = new WeakIdentityMap<>();

    private MemcacheCalls() {
    }

    // ---- connect ----

    /** A connect to {@code address} begins; {@link #connected}/{@link #connectFailed} of {@code handle} end it. */
    public static void connectStart(Object handle, Object address) {
        if (handle == null || CONNECTING.size() >= MAX_IN_FLIGHT || CONNECTING.get(handle) != null) {
            return;
        }
        Span span = Trace.call(RecordNames.MEMCACHE_CONNECT);
        span.host(MemcacheEndpoints.of(address)).module(CallerModule.of(null));   // connects are rare: no cache
        CONNECTING.put(handle, span);
    }

    /** The connection of {@code handle} is established. */
    public static void connected(Object handle) {
        Span span = take(CONNECTING, handle);
        if (span != null) {
            span.code(MemcacheCodes.OK).close();
        }
    }

    /** The connect of {@code handle} failed ({@code thrown} may be null: {@code msg} says why). */
    public static void connectFailed(Object handle, Throwable thrown, String msg) {
        Span span = take(CONNECTING, handle);
        if (span == null) {
            return;
        }
        span.code(thrown == null ? MemcacheCodes.CONNECT_FAILED : MemcacheCodes.ofThrowable(thrown));
        span.msg(msg != null ? msg : thrown != null ? String.valueOf(thrown.getMessage()) : null).error(thrown);
        span.close();
    }

    // ---- commands ----

    /** A single-key command is queued: its span starts now, in the caller's scope. */
    public static void start(Object handle, String command, String key) {
        if (handle == null || IN_FLIGHT.size() >= MAX_IN_FLIGHT || IN_FLIGHT.get(handle) != null) {
            return;   // a retried or re-queued command keeps its first span
        }
        Span span = SpanHooks.call(RecordNames.MEMCACHE_REQUEST);   // pooled record: see Call
        span.action(MemcacheKeys.action(command, key)).module(CallerModule.of(MemcacheKeys.siteKey(command, key)));
        IN_FLIGHT.put(handle, new Call(span, command, 1, 1));
    }

    /**
     * A multi-key command is queued ({@code get a b c}): one span for the call, completed
     * after {@code parts} completions (the client's per-server commands sharing {@code handle}).
     */
    public static void startMulti(Object handle, String command, Collection<?> keys, int parts) {
        if (handle == null || IN_FLIGHT.size() >= MAX_IN_FLIGHT || IN_FLIGHT.get(handle) != null) {
            return;
        }
        Object first = keys == null || keys.isEmpty() ? null : keys.iterator().next();
        Span span = SpanHooks.call(RecordNames.MEMCACHE_REQUEST);   // pooled record: see Call
        span.action(MemcacheKeys.action(command, keys))
                .module(CallerModule.of(MemcacheKeys.siteKey(command + "*", first == null ? null : first.toString())));
        Call c = new Call(span, command, keys == null ? 0 : keys.size(), Math.max(parts, 1));
        c.multi = true;
        IN_FLIGHT.put(handle, c);
    }

    /**
     * The client has placed the command (or failed to): {@code address} is its server
     * ({@code InetSocketAddress}, or null when unknown). A thrown send ends the span.
     */
    public static void sent(Object handle, Object address, Throwable thrown) {
        Call c = IN_FLIGHT.get(handle);
        if (c == null) {
            return;
        }
        if (thrown != null) {
            IN_FLIGHT.remove(handle);
            c.failWith(thrown);
            return;
        }
        if (c.sent(MemcacheEndpoints.of(address))) {
            IN_FLIGHT.remove(handle);
        }
    }

    /** True when {@code handle} is a recorded command still in flight (a cheap test for advice). */
    public static boolean inFlight(Object handle) {
        return handle != null && IN_FLIGHT.get(handle) != null;
    }

    /** The server's status for the command ({@link MemcacheCodes}), with its message. */
    public static void status(Object handle, String code, String msg) {
        Call c = IN_FLIGHT.get(handle);
        if (c != null) {
            c.status(code, msg);
        }
    }

    /** A value was read for the command (a hit); {@code data} are its raw bytes. */
    public static void value(Object handle, byte[] data) {
        Call c = IN_FLIGHT.get(handle);
        if (c != null) {
            c.value(data);
        }
    }

    /** One part of the command completed (the last one ends the span). */
    public static void complete(Object handle) {
        Call c = IN_FLIGHT.get(handle);
        if (c != null && c.complete()) {
            IN_FLIGHT.remove(handle);
        }
    }

    /** The command failed with {@code thrown} (a timeout, a closed connection): the span ends now. */
    public static void fail(Object handle, Throwable thrown) {
        Call c = IN_FLIGHT.get(handle);
        if (c != null && thrown != null) {
            IN_FLIGHT.remove(handle);
            c.failWith(thrown);
        }
    }

    private static Span take(WeakIdentityMap<Span> map, Object handle) {
        if (handle == null) {
            return null;
        }
        Span span = map.get(handle);
        if (span != null) {
            map.remove(handle);
        }
        return span;
    }

    /**
     * One command in flight. The caller's thread starts and places it, an I/O thread completes
     * it, in either order: it ends when both happened (so {@code x_host} is always set).
     *
     * <p>Design note: the span's record is pooled (docs/RATIONALE.md, "Pooled records for spans
     * that end on another thread"). After {@code start} hands the span over, only this object's
     * synchronized methods touch it, and {@code ended} (set under the same lock before the one
     * {@code close}) keeps every later call away from it, on whichever thread it comes.
     */
    static final class Call {
        private final Span span;
        private final String command;
        private final int keys;
        private int partsLeft;
        boolean multi;
        private boolean placed;
        private boolean ended;
        private String host;
        private String code;
        private String msg;
        private int hits;
        private long bytes;
        private byte[] firstValue;

        Call(Span span, String command, int keys, int parts) {
            this.span = span;
            this.command = command;
            this.keys = keys;
            this.partsLeft = parts;
        }

        /** Placed on {@code host}: true when the span ended with it. */
        synchronized boolean sent(String host) {
            this.host = host;
            placed = true;
            if (partsLeft <= 0 && !ended) {
                end();
                return true;
            }
            return ended;
        }

        synchronized void status(String c, String m) {
            // a miss overrides a success, a failure overrides both
            if (code == null || MemcacheCodes.OK.equals(code) || MemcacheCodes.failure(c)) {
                code = c;
                msg = m;
            }
        }

        synchronized void value(byte[] data) {
            hits++;
            if (data != null) {
                bytes += data.length;
                if (firstValue == null) {
                    firstValue = data;
                }
            }
        }

        /** A part completed: true when the span ended (all parts done and the command placed). */
        synchronized boolean complete() {
            if (--partsLeft > 0 || ended) {
                return ended;
            }
            if (!placed) {
                return false;   // sent() ends it
            }
            end();
            return true;
        }

        synchronized void failWith(Throwable thrown) {
            if (ended) {
                return;
            }
            ended = true;
            String c = MemcacheCodes.ofThrowable(thrown);
            String m = thrown.getMessage();
            span.host(host).code(c).msg(m != null ? m : thrown.toString()).error(thrown);
            span.close();
        }

        private void end() {
            ended = true;
            String c = code;
            if (multi) {
                span.extra("keys", keys).extra("hits", hits);
                if (c == null || !MemcacheCodes.failure(c)) {
                    c = hits >= keys ? MemcacheCodes.OK : MemcacheCodes.MISS;
                }
            } else if (c == null) {
                c = MemcacheCodes.OK;
            }
            span.host(host).code(c);
            if (hits > 0) {
                span.responseLen(bytes);
                if (firstValue != null && ResponseCapture.wanted(span)) {
                    span.response(ResponseCapture.excerpt(firstValue, firstValue.length));
                }
            }
            if (MemcacheCodes.failure(c)) {
                span.msg(msg != null ? msg : c).failed();
            }
            span.close();
        }
    }
}
