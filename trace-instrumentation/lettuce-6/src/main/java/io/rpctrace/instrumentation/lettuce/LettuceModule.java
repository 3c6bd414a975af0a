package io.rpctrace.instrumentation.lettuce;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Module {@code lettuce}: Lettuce 6 standalone connections. The sync, async and reactive
 * APIs all dispatch a command object through {@code StatefulRedisConnectionImpl.dispatch};
 * the span starts there and ends when that object completes. The logic lives in redis-common's
 * {@code io.rpctrace.instrumentation.redis.AsyncRedisCalls}; docs/instrumentation/redis.md.
 */
public final class LettuceModule extends InstrumentationModule {
    public LettuceModule() {
        super("lettuce");
    }

    @Override
    public List<String> landmarkClasses() {
        // added in 6.0: the floor of the range
        return Collections.singletonList("io.lettuce.core.api.push.PushListener");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new RedisClientInstrumentation(), new DispatchInstrumentation(),
                new CommandInstrumentation());
    }
}
