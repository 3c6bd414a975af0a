package io.rpctrace.instrumentation.rabbitmq;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code com.rabbitmq.client.impl.ContentHeaderPropertyWriter.writeTable}: where the client
 * writes a message's header table (the properties' {@code headers}, its only table), on the
 * publishing thread, inside {@code basicPublish}. A publish whose properties carry headers
 * hands its ids over here ({@link AmqpCalls#deferHeaders}) instead of copying the properties.
 */
final class HeaderTableInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("com.rabbitmq.client.impl.ContentHeaderPropertyWriter");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("writeTable").and(takesArguments(1)).and(takesArgument(0, Map.class)),
                HeaderTableInstrumentation.class.getName() + "$WriteTableAdvice");
    }

    static final class WriteTableAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(value = 0, readOnly = false) Map<String, Object> table) {
            table = AmqpCalls.headersToWrite(table);
        }
    }
}
