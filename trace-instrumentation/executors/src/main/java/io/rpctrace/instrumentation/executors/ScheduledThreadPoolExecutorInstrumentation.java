package io.rpctrace.instrumentation.executors;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.concurrent.TaskScopes;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code ScheduledThreadPoolExecutor}: every {@code schedule*}, {@code submit} and
 * {@code execute} ends in {@code delayedExecute(task)} with the task object the worker will
 * run ({@code decorateTask} applied). A periodic task keeps its scope for every run.
 */
final class ScheduledThreadPoolExecutorInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.util.concurrent.ScheduledThreadPoolExecutor");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("delayedExecute").and(takesArguments(1)),
                ScheduledThreadPoolExecutorInstrumentation.class.getName() + "$DelayedExecuteAdvice");
    }

    static final class DelayedExecuteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object task) {
            TaskScopes.associate(task);
        }
    }
}
