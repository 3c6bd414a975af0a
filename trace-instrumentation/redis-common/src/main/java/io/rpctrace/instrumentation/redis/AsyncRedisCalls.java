package io.rpctrace.instrumentation.redis;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.internal.CallerModule;
import io.rpctrace.internal.ParamJson;
import io.rpctrace.internal.ResponseCapture;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.internal.concurrent.WeakIdentityMap;
import io.rpctrace.record.RecordNames;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The Redis logic for clients that dispatch a command object and complete it later on an I/O
 * thread (Lettuce: sync, async and reactive APIs all dispatch): the span starts at dispatch,
 * on the caller's thread and in its scope, and ends when the command object completes, is
 * completed exceptionally or cancelled, on whatever thread does it.
 */
public final class AsyncRedisCalls {
    static final int MAX_IN_FLIGHT = 65_536;
    private static final WeakIdentityMap<Endpoint> CONNECTIONS = new WeakIdentityMap<>();
    private static final WeakIdentityMap<Span> IN_FLIGHT = new WeakIdentityMap<>();

    private AsyncRedisCalls() {
    }

    /** A connect to {@code host:port}, database {@code db}: ends when {@code future} completes. */
    public static Span connectStart(String host, int port, int db) {
        String hp = host == null ? null : RedisEndpoints.resolve(host, String.valueOf(port));
        Span span = Trace.call(RecordNames.REDIS_CONNECT);
        span.host(hp).db(String.valueOf(db)).instanceName(RedisSettings.get().instanceName(hp))
                .module(CallerModule.of(null));
        return span;
    }

    /** Ends the connect's span when the client's connection future completes. */
    @SuppressWarnings("unchecked")
    public static void connectEnd(Span span, Object future, Throwable thrown, String host, int port, int db) {
        if (span == null) {
            return;
        }
        if (thrown != null || !(future instanceof CompletionStage)) {
            RedisCalls.finish(span, thrown);
            return;
        }
        String hp = host == null ? null : RedisEndpoints.resolve(host, String.valueOf(port));
        ((CompletionStage<Object>) future).whenComplete(new ConnectDone(span, hp, db));
    }

    /** The span of a dispatched command, remembered until the command completes. */
    public static void dispatch(Object connection, Object command, Object type, byte[] rawType, ByteBuffer firstKey,
                                Object firstArg, String argsText) {
        if (command == null || IN_FLIGHT.size() >= MAX_IN_FLIGHT) {
            return;
        }
        Endpoint e = CONNECTIONS.get(connection);
        String name = RedisCommands.name(type, rawType);
        byte[] first = null;
        if (firstKey != null) {
            first = new byte[firstKey.remaining()];
            firstKey.duplicate().get(first);
        } else if (firstArg != null) {
            first = String.valueOf(firstArg).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        if (e != null && "SELECT".equals(name) && first != null) {
            e.db = RedisCommands.parseDb(first, e.db);
        }
        String key = RedisCommands.firstArg(name, first);
        // pooled record: after the put below only the one thread that takes the span back touches it
        Span span = SpanHooks.call(RecordNames.REDIS_REQUEST);
        span.action(key == null ? name : name + ' ' + key).module(CallerModule.of(RedisCommands.siteKey(name, key)));
        if (e != null) {
            span.host(e.host).db(String.valueOf(e.db)).instanceName(RedisSettings.get().instanceName(e.host));
        }
        RedisSettings s = RedisSettings.get();
        if ((s.captureParam || CurrentScope.debug()) && argsText != null && !name.equals("AUTH") && !name.equals("HELLO")) {
            StringBuilder sb = new StringBuilder(argsText.length() + 4).append('[');
            ParamJson.appendString(sb, argsText);
            span.param(sb.append(']').toString());
        }
        IN_FLIGHT.put(command, span);
    }

    /** The dispatch itself failed: the command's span ends now. */
    public static void dispatchFailed(Object command, Throwable thrown) {
        if (thrown == null || command == null) {
            return;
        }
        Span span = take(command);
        if (span != null) {
            RedisCalls.finish(span, thrown);
        }
    }

    /**
     * {@code complete()}: {@code error} is the command output's error reply, if any, and
     * {@code value} its decoded value (for {@code x_response}).
     */
    public static void completed(Object command, String error, Object value) {
        Span span = take(command);
        if (span == null) {
            return;
        }
        if (error != null) {
            span.code(RedisCommands.errorCode(new RuntimeException(error))).msg(error).failed().close();
        } else {
            if (ResponseCapture.wanted(span)) {
                span.response(ResponseCapture.excerpt(value));
            }
            RedisCalls.finish(span, null);
        }
    }

    /** {@code completeExceptionally(t)} or {@code cancel()} (t null). */
    public static void failed(Object command, Throwable thrown) {
        Span span = take(command);
        if (span == null) {
            return;
        }
        if (thrown == null) {
            span.code("cancelled").msg("cancelled").failed().close();
        } else {
            RedisCalls.finish(span, thrown);
        }
    }

    /** True when bound arguments are written: {@code capture.param}, or a debug trace. */
    public static boolean capturingParams() {
        return RedisSettings.get().captureParam || CurrentScope.debug();
    }

    /** True when {@code command} waits for completion (a cheap test before reading its output). */
    public static boolean inFlight(Object command) {
        return IN_FLIGHT.get(command) != null;
    }

    private static Span take(Object command) {
        // one step: a completion racing a cancellation must not both end (and write) the span,
        // whose record is pooled (docs/RATIONALE.md, "Pooled records for spans that end on another thread")
        return IN_FLIGHT.take(command);
    }

    /** A connection's endpoint and selected database. */
    static final class Endpoint {
        final String host;
        volatile int db;

        Endpoint(String host, int db) {
            this.host = host;
            this.db = db;
        }
    }

    private static final class ConnectDone implements BiConsumer<Object, Throwable> {
        private final Span span;
        private final String host;
        private final int db;

        ConnectDone(Span span, String host, int db) {
            this.span = span;
            this.host = host;
            this.db = db;
        }

        @Override
        public void accept(Object connection, Throwable thrown) {
            if (connection != null && CONNECTIONS.size() < MAX_IN_FLIGHT) {
                CONNECTIONS.put(connection, new Endpoint(host, db));
            }
            Throwable cause = thrown;
            while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            RedisCalls.finish(span, cause);
        }
    }
}
