package io.rpctrace.internal;

/**
 * A per-thread nesting counter that advice uses to record an operation once when a library
 * calls itself ({@code executeQuery} calling {@code execute}, a client's {@code send}
 * calling its own {@code send}). One instance per key, shared by every class loader:
 *
 * <pre>{@code
 * static final CallDepth DEPTH = CallDepth.of(java.sql.Statement.class);
 * // enter advice:  if (DEPTH.enter() > 0) return null;   // nested call: record nothing
 * // exit advice:   DEPTH.exit();                         // always, paired with enter
 * }</pre>
 */
public final class CallDepth {
    private static final ClassValue<CallDepth> BY_KEY = new ClassValue<CallDepth>() {
        @Override
        protected CallDepth computeValue(Class<?> type) {
            return new CallDepth();
        }
    };

    /** This counter's place in each thread's {@link ThreadSlots}. */
    private final int index = ThreadSlots.newDepth();

    private CallDepth() {
    }

    /** The counter for {@code key} (typically the instrumented interface). */
    public static CallDepth of(Class<?> key) {
        return BY_KEY.get(key);
    }

    /** Increments the depth and returns the depth before: 0 for the outermost call. */
    public int enter() {
        return ThreadSlots.current().depths(index)[index]++;
    }

    /** Decrements the depth; returns the depth after (0: the outermost call has ended). */
    public int exit() {
        int[] d = ThreadSlots.current().depths(index);
        if (d[index] > 0) {
            d[index]--;
        }
        return d[index];
    }

    /** The current depth on this thread. */
    public int get() {
        return ThreadSlots.current().depths(index)[index];
    }
}
