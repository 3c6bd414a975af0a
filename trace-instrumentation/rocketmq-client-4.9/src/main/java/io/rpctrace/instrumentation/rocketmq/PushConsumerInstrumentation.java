package io.rpctrace.instrumentation.rocketmq;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The push consumer's services: {@code ConsumeMessageConcurrentlyService},
 * {@code ConsumeMessageOrderlyService} and, in pop mode (5.0 and later),
 * {@code ConsumeMessagePopConcurrentlyService} (the same {@code processConsumeResult}). Their {@code processConsumeResult} takes the listener's
 * answer right after the listener returned: it ends the batch's scopes, coded by the answer,
 * before the library acts on it (sends the message back for a retry, suspends the queue).
 */
final class PushConsumerInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.rocketmq.client.impl.consumer.ConsumeMessageConcurrentlyService")
                .or(named("org.apache.rocketmq.client.impl.consumer.ConsumeMessageOrderlyService"))
                .or(named("org.apache.rocketmq.client.impl.consumer.ConsumeMessagePopConcurrentlyService"));
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("processConsumeResult").and(takesArguments(3).or(takesArguments(4))),
                PushConsumerInstrumentation.class.getName() + "$ResultAdvice");
    }

    static final class ResultAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.AllArguments Object[] args, @Advice.FieldValue("consumerGroup") String group) {
            String status = null;
            for (Object a : args) {
                if (a instanceof Enum) {   // ConsumeConcurrentlyStatus or ConsumeOrderlyStatus
                    status = ((Enum<?>) a).name();
                }
            }
            ConsumeScopes.end(status, group);
        }
    }
}
