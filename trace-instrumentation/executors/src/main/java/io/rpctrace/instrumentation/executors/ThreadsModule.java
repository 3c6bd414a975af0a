package io.rpctrace.instrumentation.executors;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * Module {@code threads}: docs/model.md#rule-4 for {@code new Thread(runnable).start()} and
 * virtual threads (JDK 21+: {@code Thread.ofVirtual().start(..)},
 * {@code Executors.newVirtualThreadPerTaskExecutor()}).
 *
 * <p>A separate key from {@code executors} because a thread started while serving a request
 * keeps the request's child scope for its whole life: right for a per-task thread, wrong
 * for a long-lived thread that some library starts lazily on the first request. Known JDK
 * pools are excluded (their workers are started with submissions suppressed); a user who
 * meets another can turn this module off ({@code rpctrace.instrumentation.threads.enabled=false}).
 */
public final class ThreadsModule extends InstrumentationModule {
    public ThreadsModule() {
        super("threads");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(
                new ThreadInstrumentation(),
                new ThreadInstrumentation.Virtual());
    }
}
