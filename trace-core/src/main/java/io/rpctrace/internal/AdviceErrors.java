package io.rpctrace.internal;

/**
 * Where the agent's advice reports a throwable it caught: counted in
 * {@link Tracing#internalErrors()} (and the {@code rpctrace_internal_errors} metric), never
 * rethrown into the application. The first one is printed to stderr, once, so a broken
 * instrumentation is visible without flooding the application's output.
 */
public final class AdviceErrors {
    private static volatile boolean printed;

    private AdviceErrors() {
    }

    /** Counts {@code t}; never throws. */
    public static void record(Throwable t) {
        try {
            if (Tracing.started()) {
                Tracing.get().internalErrors().incrementAndGet();
            }
            if (!printed) {
                printed = true;
                System.err.println("rpctrace: an instrumentation failed inside the application (" + t
                        + "); the application continues, further errors are counted in rpctrace_internal_errors");
            }
        } catch (Throwable ignored) {
            // nothing left to report to
        }
    }
}
