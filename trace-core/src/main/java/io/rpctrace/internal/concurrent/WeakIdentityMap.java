package io.rpctrace.internal.concurrent;

import io.rpctrace.internal.ThreadSlot;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map keyed by object identity that does not keep its keys alive: an entry
 * disappears once its key is garbage collected (stale entries are purged on writes).
 * The JDK has no such map; {@code WeakHashMap} compares keys with {@code equals} and is
 * not thread-safe. Public for the agent's advice helpers (not part of the API).
 *
 * <p>Public for trace-core's instrumentation helpers (executors, HTTP connections); not an API.
 *
 * <p>Cost: a lookup is one {@code ConcurrentHashMap} probe with this thread's reusable lookup
 * key (a key made per lookup was not scalar-replaced on the executors' paths: 24 bytes a task
 * on every pool thread, in the profile of a Dubbo call); a write also drains the reference
 * queue. Callers bound it themselves ({@link #size()} is cheap enough to check on writes).
 *
 * @param <V> the value type
 */
public final class WeakIdentityMap<V> {
    private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> queue = new ReferenceQueue<>();
    /** Set by the first write, never cleared ({@link #neverUsed()}). */
    private volatile boolean used;
    /** This thread's lookup key: never stored in a map, so one per thread serves every map. */
    private static final ThreadSlot<Lookup> LOOKUP = new ThreadSlot<Lookup>() {
        @Override
        protected Lookup initialValue() {
            return new Lookup();
        }
    };

    /** The value of {@code key} (by identity), or null. */
    public V get(Object key) {
        Lookup lookup = LOOKUP.get().of(key);
        try {
            return map.get(lookup);
        } finally {
            lookup.clear();
        }
    }

    /** Associates {@code value} with {@code key} until the key is collected or removed. */
    public void put(Object key, V value) {
        markUsed();
        purge();
        map.put(new WeakKey(key, queue), value);
    }

    /** Like {@link java.util.concurrent.ConcurrentMap#putIfAbsent}: the value already there, or null. */
    public V putIfAbsent(Object key, V value) {
        markUsed();
        purge();
        return map.putIfAbsent(new WeakKey(key, queue), value);
    }

    /** Forgets {@code key}. */
    public void remove(Object key) {
        take(key);
    }

    /** Removes {@code key} and returns its value, or null: of callers racing for one key, one gets it. */
    public V take(Object key) {
        Lookup lookup = LOOKUP.get().of(key);
        try {
            return map.remove(lookup);
        } finally {
            lookup.clear();
        }
    }

    /**
     * True until the first write: a path that most services never take (a server library they do
     * not run) skips its lookups with one field read.
     *
     * <p>Design note: unlike {@link #isEmpty()}, this reads no counter. {@code ConcurrentHashMap}
     * counts its entries in cells that each writing thread updates, so {@code isEmpty()} on a map
     * that two event loops write reads a line the other core has just written (0.5 µs a request
     * in the profile of a WebFlux service, issue 17), where a lookup would have cost less.
     */
    public boolean neverUsed() {
        return !used;
    }

    private void markUsed() {
        if (!used) {
            used = true;
        }
    }

    /** True when no entry is held (stale ones included until purged). */
    public boolean isEmpty() {
        return map.isEmpty();
    }

    /** The number of live entries, after purging collected keys. */
    public int size() {
        purge();
        return map.size();
    }

    private void purge() {
        Reference<?> stale;
        while ((stale = queue.poll()) != null) {
            map.remove(stale);
        }
    }

    /** The stored key: a weak reference hashed and compared by the referent's identity. */
    private static final class WeakKey extends WeakReference<Object> {
        private final int hash;

        WeakKey(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            Object mine = get();
            if (mine == null) {
                return false;
            }
            if (other instanceof WeakKey) {
                return mine == ((WeakKey) other).get();
            }
            return other instanceof Lookup && mine == ((Lookup) other).referent;
        }
    }

    /**
     * A strong key for lookups, set for one probe and cleared after it (so that it keeps no
     * task alive). A map may call {@code equals} on it but never stores it.
     */
    private static final class Lookup {
        private Object referent;
        private int hash;

        Lookup of(Object key) {
            this.referent = key;
            this.hash = System.identityHashCode(key);
            return this;
        }

        void clear() {
            referent = null;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (other instanceof WeakKey) {
                return referent == ((WeakKey) other).get();
            }
            return other instanceof Lookup && referent == ((Lookup) other).referent;
        }
    }
}
