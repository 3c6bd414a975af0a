package io.rpctrace.instrumentation.log4j2;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.HelperClasses;
import java.util.function.BiConsumer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;

/**
 * {@code LoggerContext.setConfiguration(Configuration)}, the one method through which start,
 * {@code reconfigure()}, a {@code monitorInterval} reload and Spring Boot's logging system
 * switch a context to a new configuration: afterwards that configuration has trace-log4j2's
 * global debug filter and root appender, unless it named them itself.
 */
final class LoggerContextInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.logging.log4j.core.LoggerContext");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("setConfiguration").and(takesArguments(1)),
                LoggerContextInstrumentation.class.getName() + "$SetConfigurationAdvice");
    }

    static final class SetConfigurationAdvice {
        @SuppressWarnings("unchecked")
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This LoggerContext context) {
            Configuration now = context.getConfiguration();
            if (now != null) {
                ((BiConsumer<Object, Object>) HelperClasses.instance(LoggerContext.class, Log4j2Module.HOOKS))
                        .accept(context, now);
            }
        }
    }
}
