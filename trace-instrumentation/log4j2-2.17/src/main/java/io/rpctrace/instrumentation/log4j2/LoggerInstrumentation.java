package io.rpctrace.instrumentation.log4j2;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.logging.LogSecrets;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * The two methods through which every event of a core {@code Logger} (and of an
 * {@code AsyncLogger}) passes on the application's thread, {@code logMessage(fqcn, level, marker,
 * message, t)} and {@code log(level, marker, fqcn, location, message, t)} (2.17 to 2.26): in a
 * debug scope, a message whose text holds the debug secret is replaced by its text with the
 * secret masked ({@link LogSecrets}), so no appender or layout sees it. Outside a debug scope the
 * message is not formatted here.
 */
final class LoggerInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        // Logger and AsyncLogger, and nothing outside Log4j2's core is parsed for it
        return nameStartsWith("org.apache.logging.log4j.core.").and(SuperTypes.named("org.apache.logging.log4j.core.Logger"));
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("logMessage").and(takesArguments(5))
                        .and(takesArgument(3, named("org.apache.logging.log4j.message.Message"))),
                LoggerInstrumentation.class.getName() + "$LogMessageAdvice");
        target.applyAdvice(named("log").and(takesArguments(6))
                        .and(takesArgument(4, named("org.apache.logging.log4j.message.Message"))),
                LoggerInstrumentation.class.getName() + "$LogAdvice");
    }

    static final class LogMessageAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(value = 3, readOnly = false) Message message) {
            if (message != null && LogSecrets.active()) {
                String text = message.getFormattedMessage();
                String shown = LogSecrets.masked(text);
                if (shown != text) {
                    message = new SimpleMessage(shown);
                }
            }
        }
    }

    static final class LogAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(value = 4, readOnly = false) Message message) {
            if (message != null && LogSecrets.active()) {
                String text = message.getFormattedMessage();
                String shown = LogSecrets.masked(text);
                if (shown != text) {
                    message = new SimpleMessage(shown);
                }
            }
        }
    }
}
