package io.rpctrace.instrumentation.jedis;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Module {@code jedis}: Jedis 3.x to 5.x. Every command is sent and its reply read through
 * {@code redis.clients.jedis.Connection}, whatever the API (Jedis, JedisPool, pipelines,
 * transactions, JedisPooled/UnifiedJedis in 4.x+), so that class alone is instrumented. The
 * logic lives in redis-common's {@code io.rpctrace.instrumentation.redis.RedisCalls};
 * docs/instrumentation/redis.md.
 */
public final class JedisModule extends InstrumentationModule {
    public JedisModule() {
        super("jedis");
    }

    @Override
    public List<String> landmarkClasses() {
        // in redis.clients.jedis.commands since 3.0: the floor of the range
        return Collections.singletonList("redis.clients.jedis.commands.ProtocolCommand");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new ConnectionInstrumentation());
    }
}
