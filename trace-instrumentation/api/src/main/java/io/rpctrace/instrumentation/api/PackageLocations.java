package io.rpctrace.instrumentation.api;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Which jar each package of a class loader came from, learnt from the classes offered to the
 * agent, so that a supertype not loaded yet is read from that one jar instead of through the
 * loader's resource lookup.
 *
 * <p>Design note: in a Spring Boot fat jar a loader's lookup of a class file asks the parent
 * loaders first (the JDK's module image, for every name) and then tries each nested jar of
 * {@code BOOT-INF/lib} in turn, building a URL and a connection for each: a hundred jars, a
 * few dozen tries per name. Reading supertypes that way was the largest item left in the
 * agent's start-up (a third of its samples, half of its allocation in a petclinic profile).
 * A class's superclass and interfaces mostly live in a package the loader has already
 * defined classes of, and then in the same jar. Only {@code jar:} locations (nested or not)
 * are used: their connections share the handler's open jars; a package found split over
 * several jars, or an entry missing, falls back to the loader's lookup.
 */
final class PackageLocations {
    /** Packages (and code sources) per loader; past this, new ones are not learnt (lookups still work, slower). */
    static final int CAPACITY = 1 << 14;

    private static final Map<ClassLoader, Packages> byLoader = new WeakHashMap<>();

    /** One loader's packages, and the base URL of each code source seen (a few hundred jars at most). */
    private static final class Packages {
        final Map<String, String> bases = new HashMap<>();
        final Map<CodeSource, String> sources = new IdentityHashMap<>();
    }

    private PackageLocations() {
    }

    /** Notes where class {@code name} of {@code loader} comes from ({@code domain} may be null). */
    static void learn(ClassLoader loader, String name, ProtectionDomain domain) {
        CodeSource source = domain == null ? null : domain.getCodeSource();
        if (loader == null || source == null) {
            return;
        }
        synchronized (byLoader) {
            Packages packages = byLoader.get(loader);
            if (packages == null) {
                packages = new Packages();
                byLoader.put(loader, packages);
            }
            String base = packages.sources.get(source);
            if (base == null) {
                base = base(source);
                if (packages.sources.size() < CAPACITY) {
                    packages.sources.put(source, base);
                }
            }
            if (base.isEmpty()) {
                return;
            }
            String pkg = packageOf(name);
            String known = packages.bases.get(pkg);
            if (known == null) {
                if (packages.bases.size() < CAPACITY) {
                    packages.bases.put(pkg, base);
                }
            } else if (!known.equals(base) && !known.isEmpty()) {
                packages.bases.put(pkg, "");    // split over jars: ask the loader
            }
        }
    }

    /** {@code jar:...!/} of a code source in a jar, else "" (a directory or another scheme: not used). */
    private static String base(CodeSource source) {
        URL location = source.getLocation();
        if (location == null || !"jar".equals(location.getProtocol())) {
            return "";
        }
        String base = location.toExternalForm();
        return base.endsWith("!/") ? base : "";
    }

    /** The class file of {@code name} from the jar its package came from, or null when not known or not there. */
    static InputStream open(ClassLoader loader, String name, String resource) {
        String base;
        synchronized (byLoader) {
            Packages packages = byLoader.get(loader);
            base = packages == null ? null : packages.bases.get(packageOf(name));
        }
        if (base == null || base.isEmpty() || !plain(resource)) {
            return null;
        }
        try {
            return new URL(base + resource).openStream();
        } catch (IOException | RuntimeException e) {
            return null;                        // not in that jar: the loader's lookup decides
        }
    }

    private static String packageOf(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }

    /** A resource name that needs no URL encoding. */
    private static boolean plain(String resource) {
        for (int i = 0; i < resource.length(); i++) {
            char c = resource.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '$'
                    || c == '_' || c == '.' || c == '-')) {
                return false;
            }
        }
        return true;
    }
}
