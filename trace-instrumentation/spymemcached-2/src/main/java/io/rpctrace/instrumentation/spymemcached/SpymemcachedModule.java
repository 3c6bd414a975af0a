package io.rpctrace.instrumentation.spymemcached;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Module {@code spymemcached}: spymemcached 2.12.x. Every operation of {@code MemcachedClient}
 * is queued through {@code net.spy.memcached.MemcachedConnection} on the caller's thread and
 * completed through its operation callback on the client's I/O thread; those two are
 * instrumented. The logic lives in memcache-common's
 * {@code io.rpctrace.instrumentation.memcache.MemcacheCalls}; docs/instrumentation/memcache.md.
 */
public final class SpymemcachedModule extends InstrumentationModule {
    public SpymemcachedModule() {
        super("spymemcached");
    }

    @Override
    public List<String> landmarkClasses() {
        // added in 2.12.0 (not in 2.11.7), the floor of the range
        return Collections.singletonList("net.spy.memcached.KetamaNodeKeyFormatter");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new ConnectionInstrumentation(), new CallbackInstrumentation());
    }
}
