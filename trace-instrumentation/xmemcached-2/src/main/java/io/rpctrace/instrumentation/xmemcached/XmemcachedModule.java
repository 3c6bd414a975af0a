package io.rpctrace.instrumentation.xmemcached;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Module {@code xmemcached}: xmemcached 2.4.x. {@code XMemcachedClient} sends every command
 * through {@code sendCommand} on the caller's thread and waits on the command's latch, which
 * the I/O thread releases through {@code Command.countDownLatch()} (or, when the connection
 * goes away, after {@code Command.setException}); those are instrumented. The logic lives in
 * memcache-common's {@code io.rpctrace.instrumentation.memcache.MemcacheCalls};
 * docs/instrumentation/memcache.md.
 */
public final class XmemcachedModule extends InstrumentationModule {
    public XmemcachedModule() {
        super("xmemcached");
    }

    @Override
    public List<String> landmarkClasses() {
        // AWS ElastiCache support: present in 2.3.2 and later; the range tested starts at 2.4.0
        // (2.4.0 adds no class of its own to check for)
        return Collections.singletonList("net.rubyeye.xmemcached.aws.AWSElasticCacheClient");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new ClientInstrumentation(), new CommandInstrumentation());
    }
}
