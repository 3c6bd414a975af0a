package io.rpctrace.instrumentation.reactor;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code Schedulers.directSchedule*} and {@code workerSchedule*}, where the executor-backed
 * schedulers ({@code single}, {@code parallel}, {@code boundedElastic}, {@code fromExecutorService})
 * hand a task to their {@code ScheduledExecutorService}: the task runs in the scope current when it
 * was scheduled, the same scope and not a child (a reactive scheduler's task takes no id of its own,
 * docs/model.md#rule-4), and the executors module sees no scope, so it makes no child either.
 * Without this, {@code subscribeOn} would lose the scope and {@code publishOn} would spend an id.
 */
final class SchedulersInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("reactor.core.scheduler.Schedulers");
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = SchedulersInstrumentation.class.getName();
        // (executor, task, parent, delay, unit) and (executor, task, initialDelay, period, unit)
        target.applyAdvice(nameStartsWith("directSchedule").and(takesArgument(1, Runnable.class)), name + "$DirectAdvice")
                // (executor, tasks, task, delay, unit) and the periodic form
                .applyAdvice(nameStartsWith("workerSchedule").and(takesArgument(2, Runnable.class)), name + "$WorkerAdvice");
    }

    static final class DirectAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Scope enter(@Advice.Argument(value = 1, readOnly = false) Runnable task) {
            Scope scope = CurrentScope.get();
            if (scope != null) {
                task = SchedulerTasks.inScope(task, scope);
            }
            return scope;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Scope scope) {
            SchedulerTasks.restore(scope);
        }
    }

    static final class WorkerAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Scope enter(@Advice.Argument(value = 2, readOnly = false) Runnable task) {
            Scope scope = CurrentScope.get();
            if (scope != null) {
                task = SchedulerTasks.inScope(task, scope);
            }
            return scope;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Scope scope) {
            SchedulerTasks.restore(scope);
        }
    }
}
