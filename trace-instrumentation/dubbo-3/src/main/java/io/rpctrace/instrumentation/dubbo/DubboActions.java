package io.rpctrace.instrumentation.dubbo;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code x_action} of a Dubbo call, {@code Service.method}, and the {@code CallerModule}
 * cache key of calls to that method, made once per method: a call then costs two map lookups by
 * strings whose hashes are cached, not a string built and hashed per call.
 */
final class DubboActions {
    /** Most keys kept; past this (generic calls naming ever new methods) the table starts over. */
    static final int MAX_KEYS = 4096;

    private static final ConcurrentHashMap<String, ConcurrentHashMap<String, Key>> KEYS = new ConcurrentHashMap<>();
    private static final AtomicInteger COUNT = new AtomicInteger();

    private DubboActions() {
    }

    /** The key of {@code service}'s {@code method} (either may be null). */
    static Key of(String service, String method) {
        String s = service == null ? "" : service;
        String m = method == null ? "" : method;
        ConcurrentHashMap<String, Key> methods = KEYS.get(s);
        Key key = methods == null ? null : methods.get(m);
        if (key == null) {
            key = new Key(action(service, method));
            if (COUNT.incrementAndGet() > MAX_KEYS) {
                KEYS.clear();
                COUNT.set(1);
            }
            KEYS.computeIfAbsent(s, k -> new ConcurrentHashMap<>()).put(m, key);
        }
        return key;
    }

    /** {@code Service.method}, or whichever of the two is known. */
    static String action(String service, String method) {
        if (service == null || service.isEmpty()) {
            return method == null ? "" : method;
        }
        return method == null || method.isEmpty() ? service : service + '.' + method;
    }

    /**
     * A method's {@code x_action}, and the {@code CallerModule} cache key of calls to it (not a
     * bare string: other modules key by SQL text).
     */
    static final class Key {
        final String action;

        Key(String action) {
            this.action = action;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key && ((Key) o).action.equals(action);
        }

        @Override
        public int hashCode() {
            return action.hashCode() * 31 + 11;
        }
    }
}
