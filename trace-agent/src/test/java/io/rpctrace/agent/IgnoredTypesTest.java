package io.rpctrace.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

class IgnoredTypesTest {
    private static final ClassLoader APP = IgnoredTypesTest.class.getClassLoader();
    private static final ClassLoader PLATFORM = ClassLoader.getSystemClassLoader().getParent();

    @Test
    void jdkClassesAreIgnoredExceptTheInstrumentedOnes() {
        assertTrue(IgnoredTypes.ignored("java.lang.String", null));
        assertTrue(IgnoredTypes.ignored("sun.nio.ch.FileChannelImpl", null));
        assertTrue(IgnoredTypes.ignored("java.sql.DriverManager", PLATFORM));
        assertTrue(IgnoredTypes.ignored("com.sun.crypto.provider.AESCrypt", PLATFORM));
        assertFalse(IgnoredTypes.ignored("java.lang.Thread", null));
        assertFalse(IgnoredTypes.ignored("java.lang.VirtualThread", null));
        assertFalse(IgnoredTypes.ignored("java.util.concurrent.ThreadPoolExecutor", null));
        assertFalse(IgnoredTypes.ignored("java.util.concurrent.CompletableFuture$AsyncSupply", null));
        assertFalse(IgnoredTypes.ignored("jdk.internal.net.http.HttpClientImpl", PLATFORM));
        assertFalse(IgnoredTypes.ignored("jdk.internal.net.http.HttpRequestImpl", PLATFORM));
        assertFalse(IgnoredTypes.ignored("sun.net.www.protocol.http.HttpURLConnection", null));
        assertFalse(IgnoredTypes.ignored("com.sun.net.httpserver.Filter$Chain", null));
    }

    @Test
    void libraryClassesInJdkLikePackagesAreKeptWhenAnApplicationLoaderDefinesThem() {
        assertFalse(IgnoredTypes.ignored("javax.servlet.http.HttpServlet", APP));
        assertFalse(IgnoredTypes.ignored("com.sun.jersey.spi.container.servlet.ServletContainer", APP));
        assertFalse(IgnoredTypes.ignored("org.mariadb.jdbc.Driver", APP));
        assertFalse(IgnoredTypes.ignored("org.apache.catalina.core.ApplicationFilterChain", APP));
    }

    @Test
    void theAgentsOwnAndGeneratedClassesAreIgnored() {
        assertTrue(IgnoredTypes.ignored("io.rpctrace.internal.Tracing", null));
        assertTrue(IgnoredTypes.ignored("io.rpctrace.agent.AgentInstaller", null));
        // trace-core's public API on the boot path (Span's hook class, loaded on first use) ...
        assertTrue(IgnoredTypes.ignored("io.rpctrace.Span$1", null));
        // ... but an application's classes in io.rpctrace.* are its own
        assertFalse(IgnoredTypes.ignored("io.rpctrace.it.methods.Shop", APP));
        assertTrue(IgnoredTypes.ignored("net.bytebuddy.description.type.TypeDescription", APP));
        assertTrue(IgnoredTypes.ignored("com.example.Config$$SpringCGLIB$$0", APP));
        assertTrue(IgnoredTypes.ignored("com.example.Config$$EnhancerBySpringCGLIB$$1a2b", APP));
        assertTrue(IgnoredTypes.ignored("com.example.Owner$HibernateProxy$abc", APP));
        assertTrue(IgnoredTypes.ignored("com.example.Main$$Lambda$14/0x0000000800c03000", APP));
        assertFalse(IgnoredTypes.ignored("com.example.OrderServlet$Inner", APP));
        assertFalse(IgnoredTypes.ignored("io.rpctrace.Trace", APP));
    }

    @Test
    void theTypePoolCacheKeepsTheMostRecentlyUsedEntries() {
        TypePoolCache.Bounded cache = new TypePoolCache.Bounded(2);
        TypePool.Resolution a = new TypePool.Resolution.Illegal("a");
        TypePool.Resolution b = new TypePool.Resolution.Illegal("b");
        TypePool.Resolution c = new TypePool.Resolution.Illegal("c");
        cache.register("a", a);
        cache.register("b", b);
        assertSame(a, cache.find("a"));      // a is now the most recently used
        cache.register("c", c);              // b goes
        assertNull(cache.find("b"));
        assertSame(a, cache.find("a"));
        assertSame(c, cache.find("c"));
        assertSame(a, cache.register("a", b), "a second registration keeps the first");
        assertEquals(2, cache.size());
    }

    @Test
    void theTransformedClassIsDescribedFromItsOwnBytesAndThenShared() {
        TypePoolCache.Bounded shared = new TypePoolCache.Bounded(8);
        TypePool.Resolution stale = new TypePool.Resolution.Illegal("stale");
        shared.register("com.example.A", stale);
        TypePoolCache.Seeding seeding = new TypePoolCache.Seeding("com.example.A", shared);
        assertNull(seeding.find("com.example.A"), "never the cached description of the class being transformed");
        TypePool.Resolution fresh = new TypePool.Resolution.Illegal("fresh");
        assertSame(fresh, seeding.register("com.example.A", fresh));
        assertSame(fresh, seeding.find("com.example.A"));
        TypePool.Resolution b = new TypePool.Resolution.Illegal("b");
        seeding.register("com.example.B", b);
        assertSame(b, shared.find("com.example.B"));
    }

    @Test
    void oneCachePerClassLoader() {
        TypePoolCache pools = new TypePoolCache();
        assertSame(pools.locate(APP), pools.locate(APP));
        assertSame(pools.locate(null), pools.locate(null));
        assertFalse(pools.locate(APP) == pools.locate(null));
    }
}
