package io.rpctrace.instrumentation.log4j2;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.HelperClasses;
import java.util.function.UnaryOperator;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.logging.log4j.core.ContextDataInjector;
import org.apache.logging.log4j.core.impl.ContextDataInjectorFactory;

/**
 * {@code ContextDataInjectorFactory.createInjector()}: what it returns is wrapped by
 * trace-log4j2's {@code TraceContextDataInjector}, which adds the ids of the current scope to
 * the context data of each event Log4j2 creates (OpenTelemetry's agent does the same).
 */
final class InjectorFactoryInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.logging.log4j.core.impl.ContextDataInjectorFactory");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("createInjector").and(isStatic()).and(takesArguments(0)),
                InjectorFactoryInstrumentation.class.getName() + "$CreateAdvice");
    }

    static final class CreateAdvice {
        @SuppressWarnings("unchecked")
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return(readOnly = false) ContextDataInjector injector) {
            injector = (ContextDataInjector) ((UnaryOperator<Object>) HelperClasses.instance(
                    ContextDataInjectorFactory.class, Log4j2Module.HOOKS)).apply(injector);
        }
    }
}
