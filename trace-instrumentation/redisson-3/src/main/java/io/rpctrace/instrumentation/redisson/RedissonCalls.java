package io.rpctrace.instrumentation.redisson;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.internal.CallerModule;
import io.rpctrace.internal.KeyShape;
import io.rpctrace.internal.ParamJson;
import io.rpctrace.internal.ResponseCapture;
import io.rpctrace.internal.concurrent.WeakIdentityMap;
import io.rpctrace.instrumentation.redis.AsyncRedisCalls;
import io.rpctrace.instrumentation.redis.RedisCommands;
import io.rpctrace.record.RecordNames;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * Redisson's commands as {@code redis.request} records (this class is on the boot class path,
 * where Redisson's types cannot be named): a span per command, keyed by the executor's main
 * promise (a {@code CompletableFuture}), started on the issuing thread, given its server when
 * sent and ended when Redisson handles the reply — or, as a fallback (timeouts, cancellation),
 * when the promise completes. A batch is one span with {@code x_extra.commands}. With
 * capture.param/capture.response, or in a debug trace, a command carries {@code x_param}
 * ({@link RedissonParams}) and {@code x_response} (the value the application gets).
 */
public final class RedissonCalls {
    static final int MAX_IN_FLIGHT = 65_536;
    private static final String OK = "0";
    private static final WeakIdentityMap<Span> IN_FLIGHT = new WeakIdentityMap<>();
    /** A batch's span by its first queued command (the object Redisson's batch executor sends first). */
    private static final WeakIdentityMap<Span> BATCHES = new WeakIdentityMap<>();

    private RedissonCalls() {
    }

    /** True for {@code RedisExecutor} itself (its batch subclasses are recorded as a batch). */
    public static boolean isPlainExecutor(Object executor) {
        return executor.getClass().getName().equals("org.redisson.command.RedisExecutor");
    }

    /** A command is issued: {@code name} (and {@code subName}) with its parameters, the key first. */
    public static void start(Object mainPromise, String name, String subName, Object[] params) {
        if (!(mainPromise instanceof CompletableFuture) || IN_FLIGHT.size() >= MAX_IN_FLIGHT
                || IN_FLIGHT.get(mainPromise) != null) {
            return;   // a retry keeps the first span
        }
        String command = name == null ? "?" : name.toUpperCase(Locale.ROOT);
        if (subName != null && !subName.isEmpty()) {
            command = command + ' ' + subName.toUpperCase(Locale.ROOT);
        }
        byte[] first = params == null || params.length == 0 ? null : raw(params[0]);
        Span span = Trace.call(RecordNames.REDIS_REQUEST);
        span.action(RedisCommands.action(command, first)).module(CallerModule.of(siteKey(command, params)));
        if (AsyncRedisCalls.capturingParams()) {
            span.param(RedissonParams.json(command, params));
        }
        IN_FLIGHT.put(mainPromise, span);
        ((CompletableFuture<?>) mainPromise).whenComplete(new Done(mainPromise));
    }

    /** True when {@code mainPromise} is a command being recorded. */
    public static boolean inFlight(Object mainPromise) {
        return IN_FLIGHT.get(mainPromise) != null;
    }

    /** The command was written to {@code address} (an {@code InetSocketAddress}). */
    public static void sent(Object mainPromise, Object address) {
        Span span = IN_FLIGHT.get(mainPromise);
        if (span != null && address instanceof InetSocketAddress) {
            span.host(hostOf((InetSocketAddress) address));
        }
    }

    /** Redisson handles the reply ({@code thrown} null) or the failure: the span ends. */
    public static void end(Object mainPromise, Throwable thrown) {
        // take: the reply (an event loop) and a timeout (Redisson's timer) may end it at once
        Span span = IN_FLIGHT.take(mainPromise);
        if (span == null) {
            return;
        }
        finish(span, thrown);
    }

    /**
     * Redisson handles the reply: {@code reply} is the value the application gets (decoded by
     * the codec and the command's convertor), the span's {@code x_response} when wanted.
     */
    public static void succeeded(Object mainPromise, Object reply) {
        Span span = IN_FLIGHT.take(mainPromise);
        if (span == null) {
            return;
        }
        if (ResponseCapture.wanted(span)) {
            span.response(ResponseCapture.excerpt(reply));
        }
        finish(span, null);
    }

    /** A batch is executed: its span, or null (nothing queued). */
    public static Object batchStart(Map<?, ?> commands) {
        if (commands == null || commands.isEmpty()) {
            return null;
        }
        int n = 0;
        Object first = null;
        for (Object entry : commands.values()) {
            Object list = call(entry, "getCommands");
            if (list instanceof Collection) {
                Collection<?> c = (Collection<?>) list;
                n += c.size();
                if (first == null && !c.isEmpty()) {
                    first = c.iterator().next();
                }
            }
        }
        Span span = Trace.call(RecordNames.REDIS_REQUEST);
        span.action("BATCH").extra("commands", n).module(CallerModule.of("redisson BATCH"));
        if (first != null && BATCHES.size() < MAX_IN_FLIGHT) {
            BATCHES.put(first, span);
        }
        return span;
    }

    /**
     * A batch executor sends its entry's commands to {@code address}: {@code commands} is the
     * entry's queue, whose first command identifies the batch.
     */
    public static void batchSent(Object commands, Object address) {
        if (!(commands instanceof Collection) || ((Collection<?>) commands).isEmpty()
                || !(address instanceof InetSocketAddress)) {
            return;
        }
        Span span = BATCHES.get(((Collection<?>) commands).iterator().next());
        if (span != null) {
            span.host(hostOf((InetSocketAddress) address));
        }
    }

    /** The batch's future: the span ends when it completes (now, when executing threw). */
    @SuppressWarnings("unchecked")
    public static void batchEnd(Object span, Object future, Throwable thrown) {
        if (!(span instanceof Span)) {
            return;
        }
        if (thrown != null || !(future instanceof CompletionStage)) {
            finish((Span) span, thrown);
            return;
        }
        ((CompletionStage<Object>) future).whenComplete((r, t) -> finish((Span) span, t));
    }

    static void finish(Span span, Throwable thrown) {
        Throwable t = thrown;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t == null) {
            span.code(OK).close();
            return;
        }
        String msg = t.getMessage();
        span.code(RedisCommands.errorCode(t)).msg(msg != null ? msg : t.toString()).error(t);
        span.close();
    }

    /**
     * Where {@code x_module} is cached: the command and its key's shape, so that {@code user:1}
     * and {@code user:2}, or two UUIDs, share a call site ({@link KeyShape#of}).
     */
    static String siteKey(String command, Object[] params) {
        String key = params != null && params.length > 0 && params[0] instanceof String ? (String) params[0] : null;
        return KeyShape.of("redisson ", command, key);
    }

    /** The first parameter as bytes when it is a key (a {@code String} or {@code byte[]}); else null. */
    static byte[] raw(Object p) {
        if (p instanceof String) {
            String s = (String) p;
            return (s.length() > ParamJson.MAX_VALUE_CHARS ? s.substring(0, ParamJson.MAX_VALUE_CHARS) : s)
                    .getBytes(StandardCharsets.UTF_8);
        }
        return p instanceof byte[] ? (byte[]) p : null;
    }

    private static String hostOf(InetSocketAddress a) {
        InetAddress ip = a.getAddress();
        if (ip == null) {
            return a.getHostString() + ":" + a.getPort();
        }
        String s = ip.getHostAddress();
        return (s.indexOf(':') >= 0 ? "[" + s + "]" : s) + ":" + a.getPort();
    }

    private static Object call(Object o, String method) {
        if (o == null) {
            return null;
        }
        try {
            Method m = o.getClass().getMethod(method);
            m.setAccessible(true);
            return m.invoke(o);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The fallback end: the promise completed without {@link #end} (a timeout, a cancellation). */
    private static final class Done implements BiConsumer<Object, Throwable> {
        private final Object promise;

        Done(Object promise) {
            this.promise = promise;
        }

        @Override
        public void accept(Object r, Throwable t) {
            end(promise, t);
        }
    }
}
