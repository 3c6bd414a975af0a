package io.rpctrace.instrumentation.executors;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.concurrent.TaskScopes;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code ThreadPoolExecutor}: {@code execute} is where every submission ends
 * ({@code submit}, {@code invokeAll} and the {@code Executors} wrappers call it);
 * {@code getTask} is where a worker waits between tasks (its scope is cleared there);
 * {@code addWorker} starts worker threads, which must not inherit the submitter's scope.
 */
final class ThreadPoolExecutorInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.util.concurrent.ThreadPoolExecutor");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("execute").and(takesArguments(1)).and(takesArgument(0, Runnable.class)),
                        ThreadPoolExecutorInstrumentation.class.getName() + "$ExecuteAdvice")
                .applyAdvice(named("getTask").and(takesArguments(0)),
                        ThreadPoolExecutorInstrumentation.class.getName() + "$GetTaskAdvice")
                .applyAdvice(named("addWorker"),
                        ThreadPoolExecutorInstrumentation.class.getName() + "$AddWorkerAdvice");
    }

    static final class ExecuteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(value = 0, readOnly = false) Runnable task) {
            task = TaskScopes.submit(task);
        }
    }

    static final class GetTaskAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            TaskScopes.clear();
        }
    }

    static final class AddWorkerAdvice {
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
