package io.rpctrace.agent;

/**
 * The classes no module is offered, decided from the class name and its loader alone, before
 * anything parses the class file: every class the JVM loads passes here first, so this check
 * is the agent's fixed per-class cost (docs/RATIONALE.md, "Start-up").
 *
 * <ul>
 *   <li>the agent's own classes, trace-core's (its public API too, when the bootstrap loader
 *       defines it) and Byte Buddy's (also relocated);</li>
 *   <li>JDK classes (packages {@code java.}, {@code jdk.}, {@code sun.}, {@code com.sun.}, ...
 *       defined by the bootstrap or platform loader), except those under
 *       {@link #JDK_INSTRUMENTED}, the only JDK types the bundled modules instrument;</li>
 *   <li>classes generated at run time for proxies and lambdas (Spring CGLIB, Hibernate and
 *       Byte Buddy proxies, javassist): they delegate to the classes they proxy, which are
 *       instrumented where a module matches them.</li>
 * </ul>
 */
final class IgnoredTypes {
    private static final ClassLoader PLATFORM = ClassLoader.getSystemClassLoader().getParent();

    /** Ignored whatever loads them. */
    private static final String[] OWN = {
        "io.rpctrace.internal.", "io.rpctrace.agent.", "io.rpctrace.instrumentation.", "io.rpctrace.context.",
        "io.rpctrace.record.", "io.rpctrace.writer.", "io.rpctrace.config.", "io.rpctrace.metrics.",
        // Split, so that relocation leaves the application's own Byte Buddy (Hibernate's) named here.
        "net".concat(".bytebuddy."), "sun.reflect.", "jdk.internal.reflect.",
    };

    /** Packages of the JDK's own classes: ignored when the bootstrap or platform loader defines them. */
    private static final String[] JDK = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.", "org.ietf.", "org.w3c.", "org.xml.", "org.jcp.",
    };

    /**
     * The JDK types some bundled module instruments (by exact name, or a JDK subclass of
     * {@code ThreadPoolExecutor}). A module that instruments another JDK class must add it here.
     */
    static final String[] JDK_INSTRUMENTED = {
        "java.lang.Thread", "java.lang.VirtualThread",          // executors
        "java.util.concurrent.",                                // executors
        "jdk.internal.net.http.HttpClientImpl", "jdk.internal.net.http.HttpRequestImpl", // jdk-http-client
        "sun.net.www.protocol.http.HttpURLConnection",          // http-url-connection
        "com.sun.net.httpserver.Filter$Chain",                  // jdk-http-server
    };

    /** Markers in the names of generated classes. */
    private static final String[] GENERATED = {
        "$$Lambda", "$$SpringCGLIB$$", "$$EnhancerBySpringCGLIB$$", "$$FastClassBySpringCGLIB$$",
        "$$EnhancerByCGLIB$$", "$$FastClassByCGLIB$$", "$HibernateProxy$", "$HibernateInstantiator$",
        "$HibernateAccessOptimizer$", "$$_javassist", "$ByteBuddy$", "$auxiliary$",
    };

    private IgnoredTypes() {
    }

    /** True when no module is offered class {@code name} defined by {@code loader} (null: bootstrap). */
    static boolean ignored(String name, ClassLoader loader) {
        if (startsWithAny(name, OWN)) {
            return true;
        }
        if (loader == null && name.startsWith("io.rpctrace.")) {
            return true;                // trace-core's public API (Span, Trace) as the agent put it on the boot path
        }
        if ((loader == null || loader == PLATFORM) && startsWithAny(name, JDK)) {
            return !startsWithAny(name, JDK_INSTRUMENTED);
        }
        if (name.indexOf('$') < 0) {
            return false;
        }
        for (String marker : GENERATED) {
            if (name.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithAny(String name, String[] prefixes) {
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
