package io.rpctrace.instrumentation.dubbo;

import io.rpctrace.internal.CallerModule;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code x_action} of a Dubbo call, {@code Service.method}, made once per method, and the
 * calls' {@code x_module} cached per method: a call then costs map lookups by strings whose
 * hashes are cached, not a string built and hashed per call.
 */
final class DubboActions {
    /** Most actions kept; past this (generic calls naming ever new methods) the table starts over. */
    static final int MAX_KEYS = 4096;

    private static final ConcurrentHashMap<String, ConcurrentHashMap<String, String>> ACTIONS = new ConcurrentHashMap<>();
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final CallerModule.Namespace METHODS = CallerModule.namespace();

    private DubboActions() {
    }

    /** {@code Service.method} of {@code service}'s {@code method} (either may be null), made once. */
    static String of(String service, String method) {
        String s = service == null ? "" : service;
        String m = method == null ? "" : method;
        ConcurrentHashMap<String, String> methods = ACTIONS.get(s);
        String action = methods == null ? null : methods.get(m);
        if (action == null) {
            action = action(service, method);
            if (COUNT.incrementAndGet() > MAX_KEYS) {
                ACTIONS.clear();
                COUNT.set(1);
            }
            ACTIONS.computeIfAbsent(s, k -> new ConcurrentHashMap<>()).put(m, action);
        }
        return action;
    }

    /** The {@code x_module} of a call to {@code action} (from {@link #of}): the application method that made it. */
    static String module(String action) {
        return CallerModule.of(METHODS, action);
    }

    /** {@code Service.method}, or whichever of the two is known. */
    static String action(String service, String method) {
        if (service == null || service.isEmpty()) {
            return method == null ? "" : method;
        }
        return method == null || method.isEmpty() ? service : service + '.' + method;
    }
}
