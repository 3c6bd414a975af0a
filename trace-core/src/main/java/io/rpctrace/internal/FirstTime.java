package io.rpctrace.internal;

import io.rpctrace.internal.concurrent.WeakIdentityMap;

/**
 * Remembers objects seen once, without keeping them alive: advice that must act once per
 * object (add an interceptor to a builder that the application may {@code build()} twice).
 */
public final class FirstTime {
    private static final WeakIdentityMap<Boolean> SEEN = new WeakIdentityMap<>();

    private FirstTime() {
    }

    /** True the first time {@code o} is passed, false afterwards (and for null). */
    public static boolean first(Object o) {
        return o != null && SEEN.putIfAbsent(o, Boolean.TRUE) == null;
    }
}
