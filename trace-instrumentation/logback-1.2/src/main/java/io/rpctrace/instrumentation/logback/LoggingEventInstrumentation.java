package io.rpctrace.instrumentation.logback;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.logging.EventCorrelation;
import io.rpctrace.internal.logging.LogSecrets;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code LoggingEvent.getFormattedMessage()}: in a debug scope the debug secret in the event's
 * text becomes {@code ***} ({@link LogSecrets}), kept in the event's {@code formattedMessage}
 * (1.0 to 1.5) so that every appender shows the masked text.
 *
 * <p>{@code LoggingEvent.getMDCPropertyMap()}: the first call on the application's thread
 * (an appender, a {@code %X} converter, or {@code prepareForDeferredProcessing} before an
 * {@code AsyncAppender} hands the event over) adds the current scope's ids to the event's
 * own copy of the MDC. The event keeps that map (field {@code mdcPropertyMap}, present from
 * 1.0 to 1.5), so later calls find the ids and do nothing. The thread's MDC is not touched.
 */
final class LoggingEventInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("ch.qos.logback.classic.spi.LoggingEvent");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("getMDCPropertyMap").and(takesArguments(0)),
                LoggingEventInstrumentation.class.getName() + "$GetMdcAdvice");
        target.applyAdvice(named("getFormattedMessage").and(takesArguments(0)),
                LoggingEventInstrumentation.class.getName() + "$FormattedMessageAdvice");
    }

    static final class FormattedMessageAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return(readOnly = false) String text,
                         @Advice.FieldValue(value = "formattedMessage", readOnly = false) String field) {
            String shown = LogSecrets.masked(text);
            if (shown != text) {
                field = shown;
                text = shown;
            }
        }
    }

    static final class GetMdcAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return(readOnly = false) Map<String, String> map,
                         @Advice.FieldValue(value = "mdcPropertyMap", readOnly = false) Map<String, String> field) {
            Map<String, String> withIds = EventCorrelation.withIds(map);
            if (withIds != map) {
                field = withIds;
                map = withIds;
            }
        }
    }
}
