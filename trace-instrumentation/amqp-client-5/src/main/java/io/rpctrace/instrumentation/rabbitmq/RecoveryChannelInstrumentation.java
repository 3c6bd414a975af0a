package io.rpctrace.instrumentation.rabbitmq;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code RecoveryAwareChannelN}, the channel of an auto-recovering connection (the default in
 * 5.x): its {@code basicAck}/{@code basicNack}/{@code basicReject} translate the delivery tag
 * and, in recent versions, send the frame without calling {@code ChannelN}'s. They end a
 * {@code basicGet} message's scope as {@code ChannelN}'s do ({@link ChannelInstrumentation}).
 */
final class RecoveryChannelInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("com.rabbitmq.client.impl.recovery.RecoveryAwareChannelN");
    }

    @Override
    public void transform(AdviceTarget target) {
        String settle = ChannelInstrumentation.class.getName() + "$SettleAdvice";
        target.applyAdvice(named("basicAck").and(takesArguments(2)), settle)
                .applyAdvice(named("basicReject").and(takesArguments(2)), settle)
                .applyAdvice(named("basicNack").and(takesArguments(3)), settle);
    }
}
