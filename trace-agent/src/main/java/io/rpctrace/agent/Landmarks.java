package io.rpctrace.agent;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * A module's version range, checked once per class loader: all its landmark classes are
 * visible and none of its excluded ones (as class-file resources, so nothing is loaded).
 */
final class Landmarks extends ElementMatcher.Junction.AbstractBase<ClassLoader> {
    private static final ClassLoader BOOTSTRAP_VIEW = ClassLoader.getSystemClassLoader().getParent();

    private final List<String> required;
    private final List<String> excluded;
    private final Map<ClassLoader, Boolean> cache = new WeakHashMap<>();
    private volatile Boolean bootstrap;

    Landmarks(InstrumentationModule module) {
        this.required = module.landmarkClasses();
        this.excluded = module.excludedClasses();
    }

    @Override
    public boolean matches(ClassLoader loader) {
        if (required.isEmpty() && excluded.isEmpty()) {
            return true;
        }
        if (loader == null) {
            Boolean b = bootstrap;
            if (b == null) {
                bootstrap = b = check(BOOTSTRAP_VIEW);
            }
            return b;
        }
        synchronized (cache) {
            Boolean b = cache.get(loader);
            if (b == null) {
                b = check(loader);
                cache.put(loader, b);
            }
            return b;
        }
    }

    private boolean check(ClassLoader loader) {
        for (String c : required) {
            if (!visible(loader, c)) {
                return false;
            }
        }
        for (String c : excluded) {
            if (visible(loader, c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean visible(ClassLoader loader, String className) {
        String resource = className.replace('.', '/') + ".class";
        return loader == null ? ClassLoader.getSystemResource(resource) != null : loader.getResource(resource) != null;
    }
}
