package io.rpctrace.instrumentation.executors;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.context.Scope;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.concurrent.TaskScopes;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code ForkJoinTask}: {@code fork()} submits to the current worker's queue (parallel
 * streams, {@code RecursiveTask}); {@code doExec()} runs every task, on a worker or inline
 * in {@code join}/{@code invoke}. Tasks nest (a joining worker runs stolen tasks), so the
 * previous scope is put back after each.
 */
final class ForkJoinTaskInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.util.concurrent.ForkJoinTask");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("fork").and(takesArguments(0)),
                        ForkJoinTaskInstrumentation.class.getName() + "$ForkAdvice")
                .applyAdvice(named("doExec").and(takesArguments(0)),
                        ForkJoinTaskInstrumentation.class.getName() + "$DoExecAdvice");
    }

    static final class ForkAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object task) {
            TaskScopes.submitOnce(task);
        }
    }

    static final class DoExecAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Scope enter(@Advice.This Object task) {
            return TaskScopes.enter(task);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Object task, @Advice.Enter Scope previous) {
            TaskScopes.exit(previous, task);
        }
    }
}
