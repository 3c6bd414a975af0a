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
        // the executor instrumented here; its promise is a JDK CompletableFuture in 3.16.8 and
        // later (checked there, not earlier); tested with 3.17.7 (the floor run) and 3.52
        return Collections.singletonList("org.redisson.command.RedisExecutor");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new RedisExecutorInstrumentation(), new BatchInstrumentation());
    }
}
