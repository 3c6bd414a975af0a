package io.rpctrace.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Classes an instrumentation needs inside the application's class loader: a gRPC
 * {@code ClientInterceptor} must implement a type of the application's gRPC, which neither
 * trace-core (bootstrap) nor the agent's own loader can see.
 *
 * <p>Design note: nothing is injected into the application's loader. For each library
 * loader a child loader is made whose parent is that library loader; it defines the helper
 * classes from the bytes in the agent jar, so they link against the application's copy of
 * the library and against trace-core (bootstrap, reached through the parent). Delegation is
 * parent first: when the application ships the same helper itself (the {@code trace-grpc}
 * artifact for plain interceptors), its class is used, so the agent's interceptor and the
 * application's are one class and can recognise each other. Helpers use only the library's
 * public API (they are in another runtime package).
 *
 * <pre>{@code
 * // agent side, once (a module's constructor): where helper bytes come from
 * HelperClasses.register(GrpcModule.class.getClassLoader(), "io.rpctrace.grpc.");
 * // advice: one instance per library loader, typed by a library or JDK interface
 * builder.intercept((ClientInterceptor) HelperClasses.instance(builder.getClass(), CLIENT));
 * }</pre>
 */
public final class HelperClasses {
    private static final CopyOnWriteArrayList<Source> SOURCES = new CopyOnWriteArrayList<>();
    // Design note: weak keys and weak values. A helper instance references its class, its
    // class the helper loader, and that loader the library loader (the key): a strong value
    // would keep a redeployed application's loader alive forever.
    /** library loader (bootstrap as a marker key) → helper instances by class name. */
    private static final Map<ClassLoader, Map<String, WeakReference<Object>>> INSTANCES = new WeakHashMap<>();
    private static final ClassLoader BOOTSTRAP_KEY = new ClassLoader(null) { };

    private HelperClasses() {
    }

    private static volatile java.io.File agentJar;
    /**
     * Where the agent jar keeps helper class files: not at its root, because the agent jar is
     * on the boot class path, where a helper would be found first and could never link
     * against the application's library.
     */
    public static final String HELPERS_DIR = "rpctrace-helpers/";

    /**
     * The agent jar, for helpers of modules loaded from the boot class path (a null loader
     * in {@link #register}): run-time additions to the boot path are not exposed as
     * resources, so their bytes are read from the jar itself.
     */
    public static void agentJar(java.io.File jar) {
        agentJar = jar;
    }

    /**
     * Classes whose name starts with {@code packagePrefix} are read from {@code bytes}, or from
     * the {@link #agentJar agent jar} when {@code bytes} is null (the boot class path).
     */
    public static void register(ClassLoader bytes, String packagePrefix) {
        SOURCES.addIfAbsent(new Source(bytes, packagePrefix));
    }

    /**
     * The shared instance (public no-argument constructor) of helper {@code className} linked
     * against the library that {@code libraryClass} belongs to.
     *
     * @throws IllegalStateException when the class is neither the application's nor registered
     */
    public static Object instance(Class<?> libraryClass, String className) {
        ClassLoader lib = libraryClass.getClassLoader();
        ClassLoader key = lib == null ? BOOTSTRAP_KEY : lib;
        Map<String, WeakReference<Object>> byName;
        synchronized (INSTANCES) {
            byName = INSTANCES.get(key);
            if (byName == null) {
                byName = new ConcurrentHashMap<>();
                INSTANCES.put(key, byName);
            }
        }
        WeakReference<Object> ref = byName.get(className);
        Object o = ref == null ? null : ref.get();
        if (o == null) {
            try {
                Class<?> c = Class.forName(className, true, loaderFor(lib));
                o = c.getConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException("rpctrace: helper " + className + " cannot be loaded: " + e, e);
            }
            byName.put(className, new WeakReference<>(o));
        }
        return o;
    }

    private static final Map<ClassLoader, WeakReference<HelperLoader>> LOADERS = new WeakHashMap<>();

    private static ClassLoader loaderFor(ClassLoader lib) {
        synchronized (LOADERS) {
            ClassLoader key = lib == null ? BOOTSTRAP_KEY : lib;
            WeakReference<HelperLoader> ref = LOADERS.get(key);
            HelperLoader l = ref == null ? null : ref.get();
            if (l == null) {
                l = new HelperLoader(lib);
                LOADERS.put(key, new WeakReference<>(l));
            }
            return l;
        }
    }

    static Source sourceOf(String className) {
        for (Source s : SOURCES) {
            if (className.startsWith(s.prefix)) {
                return s;
            }
        }
        return null;
    }

    private static final class Source {
        final ClassLoader bytes;
        final String prefix;

        Source(ClassLoader bytes, String prefix) {
            this.bytes = bytes;
            this.prefix = prefix;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Source && ((Source) o).bytes == bytes && ((Source) o).prefix.equals(prefix);
        }

        @Override
        public int hashCode() {
            return prefix.hashCode();
        }
    }

    private static InputStream open(ClassLoader bytes, String resource) throws IOException {
        if (bytes != null) {
            return bytes.getResourceAsStream(resource);
        }
        java.io.File jar = agentJar;
        if (jar == null) {
            return ClassLoader.getSystemResourceAsStream(resource);
        }
        final java.util.jar.JarFile jf = new java.util.jar.JarFile(jar);
        java.util.jar.JarEntry e = jf.getJarEntry(HELPERS_DIR + resource);
        if (e == null) {
            jf.close();
            return null;
        }
        return new java.io.FilterInputStream(jf.getInputStream(e)) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    jf.close();
                }
            }
        };
    }

    /** Parent-first; defines registered helper classes itself when the parent lacks them. */
    private static final class HelperLoader extends ClassLoader {
        HelperLoader(ClassLoader parent) {
            super(parent);
        }

        /**
         * Helpers come from the parent only when the application ships them itself (the parent
         * sees them as a resource). The agent jar is also on the boot class path, where a helper
         * would be found but could never link against the application's library: it is defined
         * here instead.
         */
        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (sourceOf(name) == null) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    ClassLoader parent = getParent();
                    String resource = name.replace('.', '/') + ".class";
                    if (parent != null && parent.getResource(resource) != null) {
                        c = parent.loadClass(name);
                    } else {
                        c = findClass(name);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            Source s = sourceOf(name);
            if (s == null) {
                throw new ClassNotFoundException(name);
            }
            String resource = name.replace('.', '/') + ".class";
            try (InputStream in = open(s.bytes, resource)) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
                byte[] buf = new byte[8192];
                for (int n; (n = in.read(buf)) > 0; ) {
                    out.write(buf, 0, n);
                }
                byte[] b = out.toByteArray();
                return defineClass(name, b, 0, b.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }
}
