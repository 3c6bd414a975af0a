package io.rpctrace.instrumentation.executors;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.context.Scope;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.concurrent.TaskScopes;
import io.rpctrace.internal.concurrent.ThreadScopes;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code java.lang.Thread}: {@code start()} (and JDK 21's {@code start(container)}) takes a
 * child scope for the thread; {@code run()} makes it current around the thread's task.
 */
final class ThreadInstrumentation implements TypeInstrumentation {
    private static final String START_ADVICE = ThreadInstrumentation.class.getName() + "$StartAdvice";
    private static final String RUN_ADVICE = ThreadInstrumentation.class.getName() + "$RunAdvice";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("java.lang.Thread");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("start"), START_ADVICE)
                .applyAdvice(named("run").and(takesArguments(0)), RUN_ADVICE);
    }

    static final class StartAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Thread thread) {
            ThreadScopes.start(thread);
        }
    }

    static final class RunAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Scope enter(@Advice.This Object thread) {
            return TaskScopes.enter(thread);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.This Object task, @Advice.Enter Scope previous) {
            TaskScopes.exit(previous, task);
        }
    }

    /**
     * {@code java.lang.VirtualThread} (JDK 21+): {@code start}s as above; the private
     * {@code run(Runnable)} runs the task on the virtual thread itself. Re-scheduling a
     * parked virtual thread submits its continuation to the scheduler pool: that is not a
     * new task and takes no child scope.
     */
    static final class Virtual implements TypeInstrumentation {
        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return named("java.lang.VirtualThread");
        }

        @Override
        public void transform(AdviceTarget target) {
            target.applyAdvice(named("start"), START_ADVICE)
                    .applyAdvice(named("run").and(takesArguments(1)).and(takesArgument(0, Runnable.class)),
                            RUN_ADVICE)
                    .applyAdvice(named("submitRunContinuation").or(named("lazySubmitRunContinuation"))
                                    .or(named("externalSubmitRunContinuation")),
                            CompletableFutureInstrumentation.SUPPRESS_ADVICE);
        }
    }
}
