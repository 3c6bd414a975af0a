package io.rpctrace.agent;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import io.rpctrace.instrumentation.api.LoadingClass;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * Type descriptions shared between transformations, per class loader, each loader's cache
 * bounded (least recently used out). Matchers that walk a class's hierarchy (a servlet, a
 * JDBC statement) otherwise read and parse every supertype's class file again for every
 * class loaded; with the cache {@code Object} or a framework's base class is parsed once.
 * The class being transformed is always described from its own bytes, never from the cache;
 * that description then goes into the cache, because a class is loaded before its subclasses
 * and is described as their supertype next: without it, every supertype would be read again
 * through its loader's resource lookup (slow in a Spring Boot fat jar) and parsed twice.
 */
final class TypePoolCache extends AgentBuilder.PoolStrategy.WithTypePoolCache {
    /**
     * Entries per class loader. Each costs about 2 KB of heap (a parsed class without code): 4096
     * held 15 MB after spring-petclinic's start; 1024 keeps the shared supertypes for a few MB.
     */
    static final int CAPACITY = 1024;

    private final Map<ClassLoader, TypePool.CacheProvider> caches = new WeakHashMap<>();
    private final TypePool.CacheProvider bootstrap = new Bounded(CAPACITY);

    TypePoolCache() {
        // EXTENDED: a type's superclass and interface names come from the class file's header,
        // so a hierarchy walk does not parse every method of every class it passes.
        super(TypePool.Default.ReaderMode.FAST, TypePool.Default.WithLazyResolution.LazinessMode.EXTENDED);
    }

    @Override
    public TypePool typePool(ClassFileLocator locator, ClassLoader loader, String name) {
        // Byte Buddy asks for a pool once per class offered, before any matcher: the matchers
        // that see every class read its header from the bytes in hand (AgentListener exits it).
        LoadingClass.enter(name, loader, locator);
        return new TypePool.LazyFacade(new TypePool.Default.WithLazyResolution(
                new Seeding(name, locate(loader)), locator, readerMode, lazinessMode));
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

    /**
     * The class being transformed is looked up in a cache of its own (its bytes are new; another
     * agent may have changed them) and registered in the shared one as well.
     */
    static final class Seeding implements TypePool.CacheProvider {
        private final String name;
        private final TypePool.CacheProvider shared;
        private TypePool.Resolution own;

        Seeding(String name, TypePool.CacheProvider shared) {
            this.name = name;
            this.shared = shared;
        }

        @Override
        public TypePool.Resolution find(String typeName) {
            return name.equals(typeName) ? own : shared.find(typeName);
        }

        @Override
        public TypePool.Resolution register(String typeName, TypePool.Resolution resolution) {
            if (!name.equals(typeName)) {
                return shared.register(typeName, resolution);
            }
            if (own == null) {
                own = resolution;
                shared.register(typeName, resolution);
            }
            return own;
        }

        @Override
        public void clear() {
            own = null;
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
