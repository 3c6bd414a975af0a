package io.rpctrace.instrumentation.logback;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.turbo.TurboFilter;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.HelperClasses;
import io.rpctrace.internal.logging.EventCorrelation;
import java.util.function.Consumer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code LoggerContext}: its constructor and every {@code reset()} (what Logback's
 * re-configuration, {@code stop()} and Spring Boot's logging system call before they configure
 * again) end with trace-logback's filter and appender installed; {@code addTurboFilter} of
 * the application's own {@code TraceTurboFilter} removes the agent's.
 *
 * <p>Design note: a reset-resistant {@code LoggerContextListener} is not enough: {@code stop()}
 * removes every listener, and Spring Boot stops the context before it resets it.
 */
final class LoggerContextInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("ch.qos.logback.classic.LoggerContext");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(isConstructor().or(named("reset").and(takesArguments(0))),
                LoggerContextInstrumentation.class.getName() + "$InstallAdvice");
        target.applyAdvice(named("addTurboFilter").and(takesArguments(1)).and(takesArgument(0, named(
                "ch.qos.logback.classic.turbo.TurboFilter"))),
                LoggerContextInstrumentation.class.getName() + "$AddTurboFilterAdvice");
    }

    static final class InstallAdvice {
        @SuppressWarnings("unchecked")
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This LoggerContext context) {
            EventCorrelation.agentInjects();
            ((Consumer<Object>) HelperClasses.instance(LoggerContext.class, LogbackModule.INSTALLER)).accept(context);
        }
    }

    static final class AddTurboFilterAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This LoggerContext context, @Advice.Argument(0) TurboFilter added) {
            if (added != null && added.getClass().getName().equals(LogbackModule.FILTER_CLASS)
                    && !"rpctrace-agent".equals(added.getName())) {
                for (TurboFilter f : context.getTurboFilterList()) {
                    if ("rpctrace-agent".equals(f.getName()) && f.getClass().getName().equals(LogbackModule.FILTER_CLASS)) {
                        context.getTurboFilterList().remove(f);
                    }
                }
            }
        }
    }
}
