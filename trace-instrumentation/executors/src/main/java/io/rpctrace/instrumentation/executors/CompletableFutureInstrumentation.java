package io.rpctrace.instrumentation.executors;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.context.Scope;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.concurrent.TaskScopes;
import java.util.concurrent.Executor;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code CompletableFuture} async stages. The scope is taken where the application creates
 * the stage ({@code supplyAsync}, {@code thenApplyAsync}...), not where the previous stage
 * completes: a dependent stage is handed to its executor by whichever thread completes its
 * source, which may belong to another request or to none. The stage objects are
 * {@code ForkJoinTask}s that also implement {@code Runnable}, so they run correctly on any
 * executor: a ForkJoinPool, a ThreadPoolExecutor, the thread-per-task fallback used when the
 * common pool has parallelism 1, or the application's own {@code Executor}.
 */
final class CompletableFutureInstrumentation {
    private static final String CF = "java.util.concurrent.CompletableFuture";
    // Advice is named, never loaded by the agent (a class literal would load it).
    static final String RUN_ADVICE = CompletableFutureInstrumentation.class.getName() + "$RunAdvice";
    static final String SUPPRESS_ADVICE = CompletableFutureInstrumentation.class.getName() + "$SuppressAdvice";

    private CompletableFutureInstrumentation() {
    }

    /** {@code UniCompletion(Executor, dep, src)}: every async dependent stage (Bi* included). */
    static final class Stages implements TypeInstrumentation {
        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named(CF + "$UniCompletion");
        }

        @Override
        public void transform(AdviceTarget target) {
            target.applyAdvice(isConstructor().and(takesArgument(0, Executor.class)),
                    Stages.class.getName() + "$ConstructorAdvice");
        }

        static final class ConstructorAdvice {
            @Advice.OnMethodExit(suppress = Throwable.class)
            static void exit(@Advice.This Object stage, @Advice.Argument(0) Executor executor) {
                if (executor != null) {
                    TaskScopes.submitOnce(stage);
                }
            }
        }
    }

    /** {@code supplyAsync}/{@code runAsync}: the task objects are made by the caller. */
    static final class AsyncTasks implements TypeInstrumentation {
        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named(CF + "$AsyncSupply").or(named(CF + "$AsyncRun"));
        }

        @Override
        public void transform(AdviceTarget target) {
            target.applyAdvice(isConstructor(), AsyncTasks.class.getName() + "$ConstructorAdvice")
                    .applyAdvice(named("run").and(takesArguments(0)), RUN_ADVICE);
        }

        static final class ConstructorAdvice {
            @Advice.OnMethodExit(suppress = Throwable.class)
            static void exit(@Advice.This Object task) {
                TaskScopes.submitOnce(task);
            }
        }
    }

    /** {@code Completion.run()}: a dependent stage run by a non-ForkJoin executor. */
    static final class Completions implements TypeInstrumentation {
        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named(CF + "$Completion");
        }

        @Override
        public void transform(AdviceTarget target) {
            target.applyAdvice(named("run").and(takesArguments(0)), RUN_ADVICE);
        }
    }

    /** The fallback executor when the common pool has parallelism 1: one new thread per task. */
    static final class ThreadPerTask implements TypeInstrumentation {
        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named(CF + "$ThreadPerTaskExecutor");
        }

        @Override
        public void transform(AdviceTarget target) {
            // The stage already carries its scope; the thread must not take another child.
            target.applyAdvice(named("execute").and(takesArguments(1)), SUPPRESS_ADVICE);
        }
    }

    /** Around a task's execution: its scope is current, the previous one comes back after. */
    static final class RunAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Scope enter(@Advice.This Object task) {
            return TaskScopes.enter(task);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Object task, @Advice.Enter Scope previous) {
            TaskScopes.exit(previous, task);
        }
    }

    /** No submission made inside the method takes a child scope. */
    static final class SuppressAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            TaskScopes.suppress();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            TaskScopes.unsuppress();
        }
    }
}
