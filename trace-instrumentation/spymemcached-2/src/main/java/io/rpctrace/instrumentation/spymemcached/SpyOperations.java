package io.rpctrace.instrumentation.spymemcached;

import io.rpctrace.instrumentation.memcache.MemcacheCalls;
import io.rpctrace.instrumentation.memcache.MemcacheCodes;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * spymemcached's operations as memcached commands, read by class name and reflection (this
 * class is on the boot class path, where spymemcached's types cannot be named): the verb of
 * an operation class ({@code GetOperationImpl} is {@code get}, a {@code StoreOperationImpl}
 * says {@code set}, {@code add} or {@code replace} through {@code getStoreType()}), the keys of
 * a bulk get ({@code getKeys()}), the callback a bulk get's operations share.
 */
public final class SpyOperations {
    private static final int MAX_CLASSES = 256;
    private static final ConcurrentHashMap<Class<?>, Verb> VERBS = new ConcurrentHashMap<>();
    /** {@code class#method} to the method, for the few classes a bulk get's operations have. */
    private static final ConcurrentHashMap<String, Method> METHODS = new ConcurrentHashMap<>();

    private SpyOperations() {
    }

    /** A single-key operation is queued. */
    public static void start(Object op, Object callback, String key) {
        MemcacheCalls.start(callback, command(op), key);
    }

    /** A bulk get is queued: one operation per server, one callback shared by all. */
    public static void startBulk(Map<?, ?> ops) {
        if (ops.isEmpty()) {
            return;
        }
        Object callback = null;
        String command = null;
        List<Object> keys = new ArrayList<>();
        for (Object op : ops.values()) {
            if (callback == null) {
                callback = call(op, "getCallback");
                command = command(op);
            }
            Object k = call(op, "getKeys");
            if (k instanceof Collection) {
                keys.addAll((Collection<?>) k);
            }
        }
        MemcacheCalls.startMulti(callback, command, keys, ops.size());
    }

    /** An operation's status: its {@code StatusCode} (null in rare statuses) decides the code. */
    public static void status(Object callback, boolean success, Object statusCode, String message) {
        String code = statusCode != null ? MemcacheCodes.ofStatus(statusCode.toString())
                : success ? MemcacheCodes.OK : MemcacheCodes.SERVER_ERROR;
        MemcacheCalls.status(callback, code, message);
    }

    /** The memcached verb of an operation. */
    public static String command(Object op) {
        Class<?> c = op.getClass();
        Verb v = VERBS.get(c);
        if (v == null) {
            v = Verb.of(c);
            if (VERBS.size() < MAX_CLASSES) {
                VERBS.put(c, v);
            }
        }
        if (v.typed == null) {
            return v.fixed;
        }
        try {
            Object type = v.typed.invoke(op);
            return type == null ? v.fixed : type.toString().toLowerCase(Locale.ROOT);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return v.fixed;
        }
    }

    private static Object call(Object o, String method) {
        try {
            String key = o.getClass().getName() + '#' + method;
            Method m = METHODS.get(key);
            if (m == null) {
                m = o.getClass().getMethod(method);
                m.setAccessible(true);
                if (METHODS.size() < MAX_CLASSES) {
                    METHODS.put(key, m);
                }
            }
            return m.invoke(o);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The verb of an operation class: fixed, or read per operation through {@code typed}. */
    static final class Verb {
        final String fixed;
        final Method typed;

        private Verb(String fixed, Method typed) {
            this.fixed = fixed;
            this.typed = typed;
        }

        static Verb of(Class<?> c) {
            String n = c.getSimpleName();
            switch (n) {
                case "GetOperationImpl":
                case "MultiGetOperationImpl":
                case "ReplicaGetOperationImpl":
                case "OptimizedGetImpl":
                    return new Verb("get", null);
                case "GetsOperationImpl":
                case "ReplicaGetsOperationImpl":
                    return new Verb("gets", null);
                case "GetAndTouchOperationImpl":
                    return new Verb("gat", null);
                case "FlushOperationImpl":
                    return new Verb("flush_all", null);
                case "StoreOperationImpl":
                case "ConcatenationOperationImpl":
                    return new Verb(n.startsWith("Store") ? "set" : "append", method(c, "getStoreType"));
                case "MutatorOperationImpl":
                    return new Verb("incr", method(c, "getType"));
                default:
                    String v = n.endsWith("OperationImpl") ? n.substring(0, n.length() - "OperationImpl".length())
                            : n.endsWith("Impl") ? n.substring(0, n.length() - 4) : n;
                    return new Verb(v.isEmpty() ? "unknown" : v.toLowerCase(Locale.ROOT), null);
            }
        }

        private static Method method(Class<?> c, String name) {
            try {
                Method m = c.getMethod(name);
                m.setAccessible(true);
                return m;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }
}
