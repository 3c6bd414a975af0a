package io.rpctrace.instrumentation.api;

import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * For each class a loader defines, which of the few supertypes that {@link SuperTypes}
 * matchers ask about it has, as bits of a {@code long}, computed once per class name and
 * loader from class-file headers ({@link ClassHeader}). A class is offered to the agent before
 * the JVM resolves its supertypes, so a supertype not loaded before is read through the
 * loader's resources when a subclass asks (once per name and loader; {@code java.*} once in
 * all), and a class offered later is a header read plus one map lookup per direct supertype.
 * Each loader's map is bounded ({@link #CAPACITY}; past it a name is computed again each
 * time, correct but slower), and it goes with its loader.
 */
final class TypeHierarchy {
    /** Names per class loader. An entry costs about 100 bytes: 64k of them 6 MB for a large application. */
    static final int CAPACITY = 1 << 16;
    /** Supertypes a hierarchy can be asked about; a matcher for another one walks the hierarchy itself. */
    static final int MAX_TARGETS = 64;
    private static final int MAX_DEPTH = 64;

    /** Replaced, never changed: read without a lock for every supertype name. */
    private static volatile Map<String, Integer> targets = new HashMap<>();
    private static volatile int generation;
    private static Map<ClassLoader, Map<String, Long>> caches = new WeakHashMap<>();
    private static Map<String, Long> bootstrap = new HashMap<>();

    private TypeHierarchy() {
    }

    /**
     * The bit of {@code name}, or -1 when there are too many targets. Adding one forgets what
     * was computed (it lacks the new bit); the agent's matchers are all created before the
     * first class is offered.
     */
    static synchronized int bit(String name) {
        Integer b = targets.get(name);
        if (b != null) {
            return b;
        }
        if (targets.size() >= MAX_TARGETS) {
            return -1;
        }
        Map<String, Integer> more = new HashMap<>(targets);
        b = more.size();
        more.put(name, b);
        targets = more;
        caches = new WeakHashMap<>();
        bootstrap = new HashMap<>();
        generation++;
        return b;
    }

    /** The bits of the class being loaded on this thread (remembered for the other matchers of the same class). */
    static long of(LoadingClass c) {
        int g = generation;
        if (c.generation != g) {
            PackageLocations.learn(c.loader(), c.name(), c.domain());
            c.summary = summary(c.name(), c.loader(), c.bytes());
            c.generation = g;
        }
        return c.summary;
    }

    static long summary(String name, ClassLoader loader, byte[] bytes) {
        Map<String, Long> cache = cache(loader);
        synchronized (cache) {
            Long known = cache.get(name);
            if (known != null) {
                return known;
            }
            return compute(name, loader, bytes, cache, 0);
        }
    }

    private static synchronized Map<String, Long> cache(ClassLoader loader) {
        if (loader == null) {
            return bootstrap;
        }
        Map<String, Long> cache = caches.get(loader);
        if (cache == null) {
            cache = new HashMap<>();
            caches.put(loader, cache);
        }
        return cache;
    }

    /** Called with {@code cache} locked. A supertype whose class file cannot be read counts by name only. */
    private static long compute(String name, ClassLoader loader, byte[] bytes, Map<String, Long> cache, int depth) {
        long bits = own(name);
        String[] supertypes = bytes != null ? ClassHeader.supertypes(bytes) : ClassHeader.supertypes(loader, name);
        if (supertypes != null) {
            for (String s : supertypes) {
                Long known = cache.get(s);
                if (known == null) {
                    if (loader != null && s.startsWith("java.")) {
                        // Only the bootstrap or platform loader defines java.*: read once for every loader.
                        known = summary(s, null, null);
                    } else {
                        known = depth < MAX_DEPTH ? compute(s, loader, null, cache, depth + 1) : own(s);
                    }
                }
                bits |= known;
            }
        }
        if (cache.size() < CAPACITY) {
            cache.put(name, bits);
        }
        return bits;
    }

    private static long own(String name) {
        Integer b = targets.get(name);
        return b == null ? 0L : 1L << b;
    }
}
