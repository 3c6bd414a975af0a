package io.rpctrace.internal;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * All of rpctrace's per-thread state behind one {@code ThreadLocal} entry: the current scope,
 * every {@link CallDepth}, every {@link ThreadSlot} of the instrumentation.
 *
 * <pre>{@code
 * private static final ThreadSlot<Creation> CREATE = new ThreadSlot<Creation>() {
 *     protected Creation initialValue() { return new Creation(); }
 * };
 * Creation c = CREATE.get();
 * }</pre>
 *
 * <p>Design note: a served request touched a dozen of the agent's thread-locals (the scope, a
 * call depth per instrumentation, the weak maps' lookup key, the task scopes' state), each an
 * entry of the thread's {@code ThreadLocalMap}, which the application's and its libraries'
 * thread-locals share and where a lookup that misses its slot probes on. In a service that is
 * idle between requests each entry and its value is a cache miss of its own; a profile of the
 * demo's services under load had the JDK's {@code ThreadLocalMap.getEntry} as the agent's
 * largest self frame. Here the first lookup of a request brings in the one entry, and the rest
 * are reads of this object's two arrays (docs/RATIONALE.md, "One thread-local entry for
 * rpctrace's per-thread state"). Netty's {@code InternalThreadLocalMap} does the same for the
 * same reason. Slots are numbered once per JVM (static fields), so the arrays stay small.
 *
 * <p>Design note: the entry lives in the thread's map of <em>inheritable</em> thread-locals, which
 * is nearly always empty but for it. In the map of plain thread-locals, which a server's
 * libraries fill (Tomcat, Spring, the JDK's NIO buffers and coders, HikariCP), the entry's hash slot
 * was often taken by another: every lookup then probed on ({@code getEntryAfterMiss}), a cache
 * miss per entry passed, and a request makes dozens of lookups (a profile of the light service
 * under load: 2.3 µs a request in this lookup). Nothing is inherited: a child thread's copy of the
 * entry holds null, and its first lookup makes its own state (docs/RATIONALE.md, "One
 * thread-local entry for rpctrace's per-thread state").
 *
 * <p>Design note: in front of that entry sits a table of the state of recent threads, indexed by
 * the thread's id ({@link #current()}): an array read, the weak reference's referent and a compare
 * of the owning thread, where the {@code ThreadLocal} lookup is four dependent reads plus a probe
 * whenever another inheritable entry took the slot of ours (a Netty event loop made by a thread
 * that had some: a profile of a WebFlux service had {@code getEntryAfterMiss} as most of this
 * lookup, 1.7 µs a request over about 45 lookups). A slot is taken only when it is empty or its thread has ended, so two live
 * threads never evict each other (the second one keeps the {@code ThreadLocal} path). The table
 * holds each state weakly: a thread's own entry holds it strongly while the thread runs, and an
 * ended thread's state (a Kafka consumer's last polled batch, say) goes with the thread, as it
 * did without the table (docs/RATIONALE.md, "One thread-local entry for rpctrace's per-thread
 * state").
 */
public final class ThreadSlots {
    /** The state of recent threads by {@code id & (BY_THREAD.length - 1)}, weakly; a cache of {@link #CURRENT}. */
    @SuppressWarnings("unchecked")
    private static final WeakReference<ThreadSlots>[] BY_THREAD = new WeakReference[1024];
    private static final ThreadLocal<ThreadSlots> CURRENT = new InheritableThreadLocal<ThreadSlots>() {
        /** Never inherited: a thread made while another serves a request gets its own state (see current()). */
        @Override
        protected ThreadSlots childValue(ThreadSlots parent) {
            return null;
        }
    };
    private static final AtomicInteger SLOTS = new AtomicInteger();
    private static final AtomicInteger DEPTHS = new AtomicInteger();

    /** The thread whose state this is: only it reads and writes the arrays below. */
    private final Thread owner;
    /** What the table holds of this state: made once per thread. */
    private final WeakReference<ThreadSlots> weak = new WeakReference<>(this);
    private Object[] values;
    private int[] depths;

    private ThreadSlots(Thread owner) {
        this.owner = owner;
        values = new Object[Math.max(8, SLOTS.get() + 4)];
        depths = new int[Math.max(8, DEPTHS.get() + 4)];
    }

    /** This thread's state. */
    public static ThreadSlots current() {
        Thread thread = Thread.currentThread();
        int i = index(thread);
        ThreadSlots t = at(i);
        return t != null && t.owner == thread ? t : lookUp(thread, i);
    }

    /** The entry of the table for {@code thread}. */
    @SuppressWarnings("deprecation") // Thread.getId(): threadId() is Java 19's name for it
    private static int index(Thread thread) {
        return (int) thread.getId() & (BY_THREAD.length - 1);
    }

    /** The state in entry {@code i} of the table, or null (none, or collected). */
    private static ThreadSlots at(int i) {
        WeakReference<ThreadSlots> cached = BY_THREAD[i];
        return cached == null ? null : cached.get();
    }

    /**
     * The thread's state from its {@code ThreadLocal} entry, made on its first lookup; kept in
     * the table's slot {@code i} if that is empty or held by an ended thread. The table is read
     * and written without synchronization: a reader that sees another thread's state, or none,
     * comes here, and the state it finds is its own, made on this thread.
     */
    private static ThreadSlots lookUp(Thread thread, int i) {
        ThreadSlots t = CURRENT.get();
        if (t == null) {
            t = new ThreadSlots(thread);    // a new thread's first lookup, or its inherited entry's null
            CURRENT.set(t);
        }
        if (free(at(i))) {
            BY_THREAD[i] = t.weak;
        }
        return t;
    }

    /** Whether the table holds {@code thread}'s state (tests). */
    static boolean cached(Thread thread) {
        ThreadSlots t = at(index(thread));
        return t != null && t.owner == thread;
    }

    /** Whether a lookup of a thread on {@code thread}'s entry would take it: empty, or its thread has ended (tests). */
    static boolean entryFree(Thread thread) {
        return free(at(index(thread)));
    }

    /** An entry holding {@code there} may be taken: it holds nothing, or an ended thread's state. */
    private static boolean free(ThreadSlots there) {
        return there == null || !there.owner.isAlive();
    }

    /** The index in the table of {@code thread}'s state (tests). */
    static int tableIndex(Thread thread) {
        return index(thread);
    }

    /** A new slot's number (a {@code static final} per use: slots are never given back). */
    public static int newSlot() {
        return SLOTS.getAndIncrement();
    }

    /** A new call depth's number. */
    static int newDepth() {
        return DEPTHS.getAndIncrement();
    }

    /** The value in {@code slot}, or null. */
    public Object get(int slot) {
        Object[] v = values;
        return slot < v.length ? v[slot] : null;
    }

    /** Sets the value in {@code slot} (null clears it). */
    public void set(int slot, Object value) {
        Object[] v = values;
        if (slot >= v.length) {
            if (value == null) {
                return;
            }
            values = v = Arrays.copyOf(v, Math.max(slot + 1, v.length * 2));
        }
        v[slot] = value;
    }

    /** The call depths' array, long enough for {@code index}. */
    int[] depths(int index) {
        int[] d = depths;
        if (index >= d.length) {
            depths = d = Arrays.copyOf(d, Math.max(index + 1, d.length * 2));
        }
        return d;
    }
}
