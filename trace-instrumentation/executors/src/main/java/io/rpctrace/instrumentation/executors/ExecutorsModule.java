package io.rpctrace.instrumentation.executors;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * Module {@code executors}: docs/model.md#rule-4 for {@code ThreadPoolExecutor} (and every
 * {@code ExecutorService} of {@code Executors} built on it), {@code ScheduledThreadPoolExecutor},
 * {@code ForkJoinPool} / {@code ForkJoinTask} (parallel streams included) and
 * {@code CompletableFuture} async stages. JDK 8 to 25.
 *
 * <p>Design note: tasks are not wrapped. The submitting advice associates the task object
 * with a child scope ({@code TaskScopes}); the advice around the task's execution makes it
 * current. So {@code remove(task)}, {@code shutdownNow()} and {@code beforeExecute}/
 * {@code afterExecute} overrides see the application's own objects (docs/RATIONALE.md).
 */
public final class ExecutorsModule extends InstrumentationModule {
    public ExecutorsModule() {
        super("executors");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(
                new ThreadPoolExecutorInstrumentation(),
                new BeforeExecuteInstrumentation(),
                new ScheduledThreadPoolExecutorInstrumentation(),
                new ForkJoinPoolInstrumentation(),
                new ForkJoinTaskInstrumentation(),
                new CompletableFutureInstrumentation.Stages(),
                new CompletableFutureInstrumentation.AsyncTasks(),
                new CompletableFutureInstrumentation.Completions(),
                new CompletableFutureInstrumentation.ThreadPerTask());
    }
}
