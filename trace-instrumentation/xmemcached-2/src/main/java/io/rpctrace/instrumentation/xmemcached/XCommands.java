package io.rpctrace.instrumentation.xmemcached;

import io.rpctrace.instrumentation.memcache.MemcacheCalls;
import io.rpctrace.instrumentation.memcache.MemcacheCodes;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * xmemcached's commands as memcached commands (this class is on the boot class path, where
 * xmemcached's types cannot be named): the verb of a {@code CommandType} ({@code GET_ONE} is
 * {@code get}, {@code FLUSH_ALL} is {@code flush_all}), the keys of a multi-get (the text
 * protocol's key line, space separated), and the code of a completed command's result: a
 * {@code null} get is a miss, a {@code false} delete a miss, a {@code false} add
 * {@code not_stored}. Values ({@code CachedData}) are read through {@code getData()}.
 */
public final class XCommands {
    private static final ConcurrentHashMap<Object, String> VERBS = new ConcurrentHashMap<>();
    private static volatile Method getData;

    private XCommands() {
    }

    /** A command is about to be sent. */
    public static void start(Object command, Object type, String key, byte[] keyBytes) {
        String t = String.valueOf(type);
        String verb = verb(type);
        if (t.endsWith("_MANY")) {
            List<String> keys = keyBytes == null ? Collections.singletonList(key) : keys(keyBytes);
            MemcacheCalls.startMulti(command, verb, keys, 1);
        } else {
            MemcacheCalls.start(command, verb, key);
        }
    }

    /** A command completed with {@code result}: its code and values, then its end. */
    public static void completed(Object command, Object type, Object result) {
        String verb = verb(type);
        if (result instanceof Map) {
            for (Object v : ((Map<?, ?>) result).values()) {
                MemcacheCalls.value(command, data(v));
            }
        } else {
            String code = MemcacheCodes.ofResult(verb, result);
            if (!MemcacheCodes.OK.equals(code)) {
                MemcacheCalls.status(command, code, null);
            } else if (result != null && result.getClass().getSimpleName().equals("CachedData")) {
                MemcacheCalls.value(command, data(result));
            }
        }
        MemcacheCalls.complete(command);
    }

    /** The memcached verb of a {@code CommandType}. */
    public static String verb(Object type) {
        String v = VERBS.get(type);
        if (v == null) {
            String n = String.valueOf(type);
            if (n.endsWith("_ONE") || n.endsWith("_MANY")) {
                n = n.substring(0, n.lastIndexOf('_'));
            } else if (n.equals("GATQ")) {
                n = "GAT";
            }
            v = n.toLowerCase(Locale.ROOT);
            if (VERBS.size() < 128) {
                VERBS.put(type, v);
            }
        }
        return v;
    }

    /** The keys of a text multi-get's key line ({@code a b c}). */
    public static List<String> keys(byte[] keyBytes) {
        String line = new String(keyBytes, StandardCharsets.UTF_8);
        List<String> keys = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == ' ') {
                if (i > start) {
                    keys.add(line.substring(start, i));
                }
                start = i + 1;
            }
        }
        return keys;
    }

    /** {@code CachedData.getData()}, or null. */
    public static byte[] data(Object cachedData) {
        if (cachedData == null) {
            return null;
        }
        try {
            Method m = getData;
            if (m == null || m.getDeclaringClass() != cachedData.getClass()) {
                m = cachedData.getClass().getMethod("getData");
                getData = m;
            }
            Object d = m.invoke(cachedData);
            return d instanceof byte[] ? (byte[]) d : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
