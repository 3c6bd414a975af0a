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
 * {@code ForkJoinPool}: external submissions funnel into one method that receives the
 * {@code ForkJoinTask} the workers will run (a {@code Runnable} or {@code Callable} already
 * adapted): {@code externalSubmit(task)} on JDK 8-19, {@code poolSubmit(signal, task)} on
 * JDK 20+, plus the public {@code externalSubmit(task)} of JDK 20+.
 */
final class ForkJoinPoolInstrumentation implements TypeInstrumentation {
    private static final String FORK_JOIN_TASK = "java.util.concurrent.ForkJoinTask";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.util.concurrent.ForkJoinPool");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("externalSubmit").and(takesArguments(1))
                                .and(takesArgument(0, named(FORK_JOIN_TASK))),
                        ForkJoinPoolInstrumentation.class.getName() + "$SubmitAdvice")
                .applyAdvice(named("poolSubmit").and(takesArguments(2))
                                .and(takesArgument(1, named(FORK_JOIN_TASK))),
                        ForkJoinPoolInstrumentation.class.getName() + "$PoolSubmitAdvice");
    }

    static final class SubmitAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object task) {
            TaskScopes.submitOnce(task);
        }
    }

    static final class PoolSubmitAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) Object task) {
            TaskScopes.submitOnce(task);
        }
    }
}
