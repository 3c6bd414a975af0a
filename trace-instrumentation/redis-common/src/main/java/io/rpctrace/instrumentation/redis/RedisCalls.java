package io.rpctrace.instrumentation.redis;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.internal.CallDepth;
import io.rpctrace.internal.CallerModule;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.internal.ResponseCapture;
import io.rpctrace.internal.concurrent.WeakIdentityMap;
import io.rpctrace.record.RecordNames;
import java.util.ArrayDeque;

/**
 * The Redis instrumentations' logic for clients that write a command and read its reply
 * later on the same connection (Jedis, pipelines and transactions included): a
 * {@code redis.request} span starts when a command is sent (so ids follow the order of the
 * calls) and waits in the connection's queue until its reply is read, in order.
 * {@code redis.connect} covers the connect and the commands a client sends while connecting
 * (AUTH, SELECT, CLIENT SETINFO), which are not recorded on their own.
 *
 * <p>Design note: java.lang and rpctrace types only (this class is on the bootstrap class
 * path); the advice hands over the command object, its raw name and the first argument.
 */
public final class RedisCalls {
    private static final CallDepth CONNECT = CallDepth.of(RedisCalls.class);
    private static final CallDepth SEND = CallDepth.of(RedisConnection.class);
    static final int MAX_CONNECTIONS = 65_536;
    /** Replies a connection may owe before further commands go unrecorded (a pipeline never synced). */
    static final int MAX_PENDING = 10_000;
    private static final WeakIdentityMap<RedisConnection> CONNECTIONS = new WeakIdentityMap<>();
    private static final String OK = "0";

    private RedisCalls() {
    }

    // ---- connect ----

    /** Before a connect: the span of the outermost one, unless the connection is open already. */
    public static Span connectStart(boolean alreadyConnected) {
        if (CONNECT.enter() > 0 || alreadyConnected) {
            return null;
        }
        Span span = Trace.call(RecordNames.REDIS_CONNECT);
        span.module(CallerModule.of(null));   // connects are rare: no cache
        return span;
    }

    /** After a connect: {@code x_host} is the socket's peer (or the configured endpoint when it failed). */
    public static void connectEnd(Span span, Object connection, Throwable thrown) {
        CONNECT.exit();
        if (span == null) {
            return;
        }
        RedisConnection c = connection(connection);
        if (c != null) {
            c.host = RedisEndpoints.hostOf(connection);
            Integer db = RedisEndpoints.db(connection);
            if (db != null) {
                c.db = db;
            }
            span.host(c.host).db(c.dbText()).instanceName(RedisSettings.get().instanceName(c.host));
        }
        finish(span, thrown);
    }

    // ---- commands ----

    /** Before a send: true for the outermost (pair with {@link #sendExit}). */
    public static boolean sendEnter() {
        return SEND.enter() == 0;
    }

    /**
     * After the outermost send of a command was written (so that a connect made lazily by the
     * send comes first): starts its span and queues it for the reply; a failed write ends it.
     *
     * @param command     the client's command object (an enum constant for built-in commands)
     * @param rawCommand  its name as sent
     * @param firstArg    the first argument (the key, for keyed commands), or null
     * @param args        every argument, for {@code x_param}: a {@code byte[][]} without the
     *                    command, or an {@code Iterable} with it first; read only with capture.param
     */
    public static void sent(Object connection, Object command, byte[] rawCommand, byte[] firstArg, Object args,
                            Throwable thrown) {
        RedisConnection c = connection(connection);
        String name = RedisCommands.name(command, rawCommand);
        if (c != null && "SELECT".equals(name) && firstArg != null) {
            c.db = RedisCommands.parseDb(firstArg, c.db);
        }
        if (CONNECT.get() > 0 || c == null || c.pending.size() >= MAX_PENDING) {
            return;
        }
        RedisSettings s = RedisSettings.get();
        String key = RedisCommands.firstArg(name, firstArg);
        Span span = SpanHooks.call(RecordNames.REDIS_REQUEST);   // pooled record: ended once, by whoever polls it from the queue
        span.action(key == null ? name : name + ' ' + key).host(c.host).db(c.dbText())
                .instanceName(s.instanceName(c.host))
                .module(CallerModule.of(RedisCommands.siteKey(name, key)));
        if (s.captureParam || CurrentScope.debug()) {
            span.param(RedisCommands.paramsJson(name, args));
        }
        if (thrown != null) {
            finish(span, thrown);
        } else {
            c.pending.addLast(span);
        }
    }

    /** After a send: pairs {@link #sendEnter()}; true when this was the outermost one. */
    public static boolean sendExit() {
        return SEND.exit() == 0;
    }

    /** After a reply was read (or failed to be): ends the oldest waiting span. */
    public static void replied(Object connection, Object reply, Throwable thrown) {
        if (CONNECT.get() > 0) {
            return;
        }
        RedisConnection c = CONNECTIONS.get(connection);
        if (c == null) {
            return;
        }
        Span span = c.pending.pollFirst();
        if (span == null) {
            return;   // a pub/sub message: no command waits for it
        }
        if (reply instanceof byte[]) {
            span.responseLen(((byte[]) reply).length);
        } else if (reply instanceof java.util.List) {
            span.responseLen(((java.util.List<?>) reply).size());
        }
        if (thrown == null && ResponseCapture.wanted(span)) {
            span.response(ResponseCapture.excerpt(reply));
        }
        finish(span, thrown);
    }

    /** The connection is closed: spans still waiting end as failed. */
    public static void closed(Object connection) {
        RedisConnection c = CONNECTIONS.get(connection);
        if (c == null) {
            return;
        }
        Span span;
        while ((span = c.pending.pollFirst()) != null) {
            span.msg("connection closed before the reply").failed().close();
        }
    }

    static void finish(Span span, Throwable thrown) {
        if (thrown == null) {
            span.code(OK);
        } else {
            String msg = thrown.getMessage();
            span.code(RedisCommands.errorCode(thrown)).msg(msg != null ? msg : thrown.toString()).error(thrown);
        }
        span.close();
    }

    private static RedisConnection connection(Object connection) {
        if (connection == null) {
            return null;
        }
        RedisConnection c = CONNECTIONS.get(connection);
        if (c == null) {
            if (CONNECTIONS.size() >= MAX_CONNECTIONS) {
                return null;
            }
            c = new RedisConnection();
            RedisConnection before = CONNECTIONS.putIfAbsent(connection, c);
            if (before != null) {
                c = before;
            } else {
                c.host = RedisEndpoints.hostOf(connection);
            }
        }
        return c;
    }

    /** One client connection: its endpoint, selected database and spans waiting for replies. */
    static final class RedisConnection {
        volatile String host;
        volatile int db;
        private String dbText = "0";
        private int dbTextOf;
        final ArrayDeque<Span> pending = new ArrayDeque<>();

        String dbText() {
            int d = db;
            if (d != dbTextOf) {
                dbText = String.valueOf(d);
                dbTextOf = d;
            }
            return dbText;
        }
    }
}
