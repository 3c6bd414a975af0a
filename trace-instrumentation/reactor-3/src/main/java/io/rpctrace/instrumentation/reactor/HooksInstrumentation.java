package io.rpctrace.instrumentation.reactor;

import static net.bytebuddy.matcher.ElementMatchers.isTypeInitializer;
import static net.bytebuddy.matcher.ElementMatchers.named;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.HelperClasses;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import reactor.core.publisher.Hooks;

/**
 * {@code reactor.core.publisher.Hooks}' static initializer: registers the scope lifter before the
 * first {@code Flux}/{@code Mono} is assembled (assembly reads {@code Hooks}, so it is initialised
 * first); when the agent is attached to a JVM that already assembled some, right away. An application that calls {@code Hooks.resetOnEachOperator()} without a key removes it.
 */
final class HooksInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("reactor.core.publisher.Hooks");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(isTypeInitializer(), HooksInstrumentation.class.getName() + "$InitAdvice");
    }

    /**
     * Attached to a running JVM: Reactor's {@code Hooks} was initialized before the agent, so its
     * initializer's advice never runs; the lifter is registered here instead (under its key: a
     * second registration replaces the first).
     */
    @Override
    public void alreadyLoaded(Class<?> hooks) {
        ((Runnable) HelperClasses.instance(hooks, "io.rpctrace.reactor.ScopeLifter")).run();
    }

    static final class InitAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit() {
            ((Runnable) HelperClasses.instance(Hooks.class, "io.rpctrace.reactor.ScopeLifter")).run();
        }
    }
}
