package io.rpctrace.instrumentation.redisson;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Module {@code redisson}: Redisson 3.x. Every API of Redisson (sync, async, reactive, RxJava)
 * runs a command through {@code org.redisson.command.RedisExecutor}, and a batch through
 * {@code CommandBatchService.executeAsync()}; those are instrumented. The logic lives in
 * {@link RedissonCalls} and redis-common; docs/instrumentation/redis.md.
 */
public final class RedissonModule extends InstrumentationModule {
    public RedissonModule() {
        super("redisson");
    }

    @Override
    public List<String> landmarkClasses() {
        // the executor instrumented here; the range tested is 3.52 only
        return Collections.singletonList("org.redisson.command.RedisExecutor");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new RedisExecutorInstrumentation(), new BatchInstrumentation());
    }
}
