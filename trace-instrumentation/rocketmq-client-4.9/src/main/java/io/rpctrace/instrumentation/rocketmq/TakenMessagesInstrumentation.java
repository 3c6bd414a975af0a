package io.rpctrace.instrumentation.rocketmq;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.net.SocketAddress;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * Methods that hand the application a list of messages they return: {@code ProcessQueue.takeMessages}
 * (the orderly push consumer's next batch for its listener: their scopes are entered) and
 * {@code DefaultLitePullConsumerImpl.poll} (a pull consumer's poll: a record per message, at
 * once).
 */
final class TakenMessagesInstrumentation implements TypeInstrumentation {
    static final String PULL = "org.apache.rocketmq.client.impl.consumer.DefaultLitePullConsumerImpl";
    private final String type;
    private final String method;

    private TakenMessagesInstrumentation(String type, String method) {
        this.type = type;
        this.method = method;
    }

    static TakenMessagesInstrumentation orderly() {
        return new TakenMessagesInstrumentation("org.apache.rocketmq.client.impl.consumer.ProcessQueue", "takeMessages");
    }

    static TakenMessagesInstrumentation pull() {
        return new TakenMessagesInstrumentation(PULL, "poll");
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named(type);
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named(method).and(takesArguments(1)).and(returns(List.class)),
                TakenMessagesInstrumentation.class.getName() + "$TakenAdvice");
    }

    static final class TakenAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Return List<MessageExt> msgs, @Advice.Origin("#t") String type) {
            if (msgs == null || msgs.isEmpty()) {
                return;
            }
            ConsumeScopes.Batch batch = type.equals(TakenMessagesInstrumentation.PULL)
                    ? ConsumeScopes.polled() : ConsumeScopes.begin(msgs.size());
            for (MessageExt m : msgs) {
                SocketAddress store = m.getStoreHost();
                byte[] body = m.getBody();
                batch.add(m.getTopic(), m.getTags(), m.getMsgId(), m.getProperties(), m.getReconsumeTimes(),
                        m.getQueueId(), m.getQueueOffset(), ConsumeScopes.storeHost(store),
                        m.getBrokerName(), body == null ? -1 : body.length);
            }
        }
    }
}
