package io.rpctrace.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.pool.TypePool;

/**
 * Type descriptions shared between transformations, per class loader, each loader's cache
 * bounded (least recently used out). Matchers that walk a class's hierarchy (a servlet, a
 * JDBC statement) otherwise read and parse every supertype's class file again for every
 * class loaded; with the cache {@code Object} or a framework's base class is parsed once.
 * The class being transformed is always described from its own bytes (Byte Buddy's
 * {@link AgentBuilder.PoolStrategy.WithTypePoolCache} keeps it out of the shared cache).
 */
final class TypePoolCache extends AgentBuilder.PoolStrategy.WithTypePoolCache {
    /** Entries per class loader: a few MB at most, enough for the supertypes a start-up shares. */
    static final int CAPACITY = 4096;

    private final Map<ClassLoader, TypePool.CacheProvider> caches = new WeakHashMap<>();
    private final TypePool.CacheProvider bootstrap = new Bounded(CAPACITY);

    TypePoolCache() {
        super(TypePool.Default.ReaderMode.FAST);
    }

    @Override
    protected TypePool.CacheProvider locate(ClassLoader loader) {
        if (loader == null) {
            return bootstrap;
        }
        synchronized (caches) {
            TypePool.CacheProvider cache = caches.get(loader);
            if (cache == null) {
                cache = new Bounded(CAPACITY);
                caches.put(loader, cache);
            }
            return cache;
        }
    }

    /** A synchronized LRU map of resolutions by type name. */
    static final class Bounded implements TypePool.CacheProvider {
        private final Map<String, TypePool.Resolution> map;

        Bounded(final int capacity) {
            this.map = new LinkedHashMap<String, TypePool.Resolution>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, TypePool.Resolution> eldest) {
                    return size() > capacity;
                }
            };
        }

        @Override
        public synchronized TypePool.Resolution find(String name) {
            return map.get(name);
        }

        @Override
        public synchronized TypePool.Resolution register(String name, TypePool.Resolution resolution) {
            TypePool.Resolution previous = map.putIfAbsent(name, resolution);
            return previous == null ? resolution : previous;
        }

        @Override
        public synchronized void clear() {
            map.clear();
        }

        synchronized int size() {
            return map.size();
        }
    }
}
