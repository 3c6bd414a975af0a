package io.rpctrace.internal;

/**
 * A per-thread value kept in {@link ThreadSlots}: what a {@code static final ThreadLocal}
 * of the agent's helpers would hold, without an entry of its own in the thread's map.
 * {@link #initialValue()} gives the value a thread first gets (null unless overridden); a
 * slot set to null gets it again on the next {@link #get()}.
 */
public class ThreadSlot<T> {
    private final int index = ThreadSlots.newSlot();

    /** The value a thread gets the first time (and after a null was set): null unless overridden. */
    protected T initialValue() {
        return null;
    }

    /** This thread's value. */
    @SuppressWarnings("unchecked")
    public final T get() {
        ThreadSlots t = ThreadSlots.current();
        Object v = t.get(index);
        if (v == null) {
            T initial = initialValue();
            if (initial != null) {
                t.set(index, initial);
            }
            return initial;
        }
        return (T) v;
    }

    /** Sets this thread's value (null clears it). */
    public final void set(T value) {
        ThreadSlots.current().set(index, value);
    }
}
