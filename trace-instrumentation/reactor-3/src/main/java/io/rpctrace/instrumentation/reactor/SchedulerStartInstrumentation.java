package io.rpctrace.instrumentation.reactor;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.context.Scope;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Reactor's schedulers ({@code reactor.core.scheduler.*Scheduler}) while they are built and
 * started ({@code start()}, {@code init()} from 3.5; the factories call them): no scope. A scheduler is usually created
 * lazily by the first request that uses it; its housekeeping (the bounded-elastic evictor, a
 * periodic task) must not run for ever in a child of that request's scope, nor spend its ids.
 */
final class SchedulerStartInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        // The hierarchy from class-file headers first (SuperTypes); isInterface parses the class,
        // so it is asked only of the few that match (docs/RATIONALE.md, "Start-up").
        return nameStartsWith("reactor.core.scheduler.").and(SuperTypes.concreteSubtypeOf("reactor.core.scheduler.Scheduler"));
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("start").or(named("init")).and(takesArguments(0)),
                SchedulerStartInstrumentation.class.getName() + "$NoScopeAdvice");
    }

    static final class NoScopeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Scope enter() {
            return SchedulerTasks.suspend();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Scope suspended) {
            SchedulerTasks.restore(suspended);
        }
    }
}
