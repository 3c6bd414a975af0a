package io.rpctrace.instrumentation.rocketmq;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.impl.CommunicationMode;
import org.apache.rocketmq.client.producer.SendResult;

/**
 * {@code MQClientAPIImpl}, where a send reaches one broker: {@code sendMessage} (each attempt:
 * the broker's address, and for an asynchronous send the message whose answer ends the call),
 * {@code processSendResponse} (the broker's answer) and {@code onExceptionImpl} (a failed
 * asynchronous attempt: the last one ends the call; the library retries the others).
 */
final class ClientApiInstrumentation implements TypeInstrumentation {
    private static final String MESSAGE = "org.apache.rocketmq.common.message.Message";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.rocketmq.client.impl.MQClientAPIImpl");
    }

    @Override
    public void transform(AdviceTarget target) {
        String self = ClientApiInstrumentation.class.getName();
        target.applyAdvice(named("sendMessage").and(takesArguments(12)).and(takesArgument(0, String.class))
                                .and(takesArgument(2, named(MESSAGE))), self + "$SendMessageAdvice")
                .applyAdvice(named("processSendResponse").and(takesArguments(4)).and(takesArgument(1, named(MESSAGE))),
                        self + "$ResponseAdvice")
                .applyAdvice(named("onExceptionImpl").and(takesArguments(13)).and(takesArgument(1, named(MESSAGE)))
                        .and(takesArgument(8, AtomicInteger.class)).and(takesArgument(11, boolean.class)),
                        self + "$FailureAdvice");
    }

    static final class SendMessageAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) String addr, @Advice.Argument(1) String brokerName,
                          @Advice.Argument(2) Object msg, @Advice.Argument(5) CommunicationMode mode) {
            ProduceCall call = ProduceCall.current();
            if (call != null) {
                call.sentTo(addr, brokerName);
                if (mode == CommunicationMode.ASYNC) {
                    call.pendingOn(msg);
                }
            }
        }
    }

    static final class ResponseAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Argument(1) Object msg, @Advice.Return SendResult result,
                         @Advice.Thrown Throwable thrown) {
            if (thrown != null || result == null) {
                return;   // a failed answer goes on to onExceptionImpl (async) or the send's caller (sync)
            }
            ProduceCall call = ProduceCall.forMessage(msg);
            if (call != null && call.claim()) {
                call.acked(result.getSendStatus() == null ? null : result.getSendStatus().name(), result.getMsgId(),
                        result.getMessageQueue() == null ? -1 : result.getMessageQueue().getQueueId(),
                        result.getQueueOffset());
            }
        }
    }

    static final class FailureAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) Object msg, @Advice.Argument(7) int timesTotal,
                          @Advice.Argument(8) AtomicInteger curTimes, @Advice.Argument(9) Exception e,
                          @Advice.Argument(11) boolean needRetry) {
            // the library's own test: it retries while needRetry && curTimes.incrementAndGet() <= timesTotal
            if (needRetry && curTimes != null && curTimes.get() + 1 <= timesTotal) {
                return;
            }
            ProduceCall call = ProduceCall.forMessage(msg);
            if (call != null && call.claim()) {
                call.failed(e, e instanceof MQClientException ? ((MQClientException) e).getResponseCode()
                        : e instanceof MQBrokerException ? ((MQBrokerException) e).getResponseCode() : -1);
            }
        }
    }
}
