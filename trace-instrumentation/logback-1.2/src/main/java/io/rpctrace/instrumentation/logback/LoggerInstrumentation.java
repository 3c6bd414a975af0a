package io.rpctrace.instrumentation.logback;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.core.Appender;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code Logger.addAppender}: when the application attaches its own {@code TraceAppender}
 * (named in {@code logback.xml}, or added from code), the agent's one on that logger is
 * detached from the root logger, so events are captured once.
 */
final class LoggerInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("ch.qos.logback.classic.Logger");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("addAppender").and(takesArguments(1)),
                LoggerInstrumentation.class.getName() + "$AddAppenderAdvice");
    }

    static final class AddAppenderAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Logger logger, @Advice.Argument(0) Appender<?> added) {
            if (added != null && added.getClass().getName().equals(LogbackModule.APPENDER_CLASS)
                    && !"RPCTRACE-agent".equals(added.getName())) {
                Logger root = logger.getLoggerContext().getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
                Appender<?> own = root.getAppender("RPCTRACE-agent");
                if (own != null) {
                    root.detachAppender(own.getName());
                    own.stop();
                }
            }
        }
    }
}
