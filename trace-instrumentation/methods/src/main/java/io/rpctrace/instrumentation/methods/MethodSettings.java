package io.rpctrace.instrumentation.methods;

/**
 * What the module read from the configuration at start-up, for the call sites resolved later
 * ({@link MethodSites}): the patterns (their {@code :metrics} switch) and {@code methods.records}.
 */
final class MethodSettings {
    private static volatile MethodPatterns patterns = MethodPatterns.none();
    private static volatile boolean records = true;

    private MethodSettings() {
    }

    static void install(MethodPatterns p, boolean recordsPerCall) {
        patterns = p;
        records = recordsPerCall;
    }

    static MethodPatterns patterns() {
        return patterns;
    }

    /** {@code methods.records}: false keeps only the metrics of every traced method. */
    static boolean records() {
        return records;
    }
}
