package io.rpctrace.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the agent's advice reports a throwable it caught: counted in {@link #count()} (the
 * {@code rpctrace_advice_errors} metric) and in {@link Tracing#internalErrors()} (all errors
 * caught inside rpctrace, {@code rpctrace_internal_errors}), never rethrown into the
 * application. The first one is printed to stderr, once, so a broken instrumentation is
 * visible without flooding the application's output.
 */
public final class AdviceErrors {
    private static volatile boolean printed;
    /** Advice errors are rare (a bug): a plain atomic is cheap enough and never contended. */
    private static final AtomicLong COUNT = new AtomicLong();

    private AdviceErrors() {
    }

    /** Throwables caught in advice so far. */
    public static long count() {
        return COUNT.get();
    }

    /** Counts {@code t}; never throws. */
    public static void record(Throwable t) {
        try {
            COUNT.incrementAndGet();
            if (Tracing.started()) {
                Tracing.get().internalErrors().incrementAndGet();
            }
            if (!printed) {
                printed = true;
                System.err.println("rpctrace: an instrumentation failed inside the application (" + t
                        + "); the application continues, further errors are counted in rpctrace_advice_errors");
            }
        } catch (Throwable ignored) {
            // nothing left to report to
        }
    }
}
