package io.rpctrace.instrumentation.rocketmq;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.net.SocketAddress;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;

/**
 * The push consumer's {@code ConsumeRequest}s, one task per listener call (concurrently, also
 * in pop mode) or per queue turn (orderly). The concurrent one's {@code run} hands its {@code msgs} to the listener
 * once: its start enters their scopes. Either's end closes what the listener's answer did not
 * (a queue dropped meanwhile). The orderly one takes its messages from the queue in a loop
 * ({@link TakenMessagesInstrumentation}).
 */
final class ConsumeRequestInstrumentation implements TypeInstrumentation {
    private final ElementMatcher<TypeDescription> types;
    private final String advice;

    private ConsumeRequestInstrumentation(ElementMatcher<TypeDescription> types, String advice) {
        this.types = types;
        this.advice = ConsumeRequestInstrumentation.class.getName() + "$" + advice;
    }

    /**
     * The concurrent service's request, and the pop mode's (added in 5.0: the broker assigns
     * the group's queues in pop mode), which has the same fields and the same run.
     */
    static ConsumeRequestInstrumentation concurrently() {
        return new ConsumeRequestInstrumentation(
                named("org.apache.rocketmq.client.impl.consumer.ConsumeMessageConcurrentlyService$ConsumeRequest")
                        .or(named("org.apache.rocketmq.client.impl.consumer.ConsumeMessagePopConcurrentlyService$ConsumeRequest")),
                "ConcurrentRunAdvice");
    }

    static ConsumeRequestInstrumentation orderly() {
        return new ConsumeRequestInstrumentation(
                named("org.apache.rocketmq.client.impl.consumer.ConsumeMessageOrderlyService$ConsumeRequest"),
                "OrderlyRunAdvice");
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return types;
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("run").and(takesArguments(0)), advice);
    }

    static final class ConcurrentRunAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("msgs") List<MessageExt> msgs,
                          @Advice.FieldValue("messageQueue") MessageQueue mq) {
            if (msgs == null || msgs.isEmpty()) {
                return;
            }
            ConsumeScopes.Batch batch = ConsumeScopes.begin(msgs.size());
            for (MessageExt m : msgs) {
                // a retried message comes from the group's retry topic; the library restores the
                // real one (RETRY_TOPIC) just before the listener runs
                String topic = m.getProperty("RETRY_TOPIC");
                SocketAddress store = m.getStoreHost();
                byte[] body = m.getBody();
                batch.add(topic != null ? topic : m.getTopic(), m.getTags(), m.getMsgId(), m.getProperties(),
                        m.getReconsumeTimes(), m.getQueueId(), m.getQueueOffset(), ConsumeScopes.storeHost(store),
                        mq == null ? m.getBrokerName() : mq.getBrokerName(), body == null ? -1 : body.length);
            }
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            ConsumeScopes.end(null, null);
        }
    }

    static final class OrderlyRunAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            ConsumeScopes.end(null, null);
        }
    }
}
