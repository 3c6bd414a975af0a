package io.rpctrace.instrumentation.rocketmq;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.context.Scope;
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
                call.answeredHere();   // the callback the library calls next runs in the caller's scope
            }
        }
    }

    static final class FailureAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Scope[] enter(@Advice.Argument(1) Object msg, @Advice.Argument(7) int timesTotal,
                             @Advice.Argument(8) AtomicInteger curTimes, @Advice.Argument(9) Exception e,
                             @Advice.Argument(11) boolean needRetry) {
            // the library's own test: it retries while needRetry && curTimes.incrementAndGet() <= timesTotal
            if (needRetry && curTimes != null && curTimes.get() + 1 <= timesTotal) {
                return null;
            }
            ProduceCall call = ProduceCall.forMessage(msg);
            if (call == null || !call.claim()) {
                return null;
            }
            call.failed(e, e instanceof MQClientException ? ((MQClientException) e).getResponseCode()
                    : e instanceof MQBrokerException ? ((MQBrokerException) e).getResponseCode() : -1);
            Scope[] frame = ProduceCall.answerStarts();
            call.answeredHere();   // the callback's onException, called in this method, runs in the caller's scope
            return frame;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Scope[] frame) {
            ProduceCall.answerEnds(frame);
        }
    }

    /**
     * The library's handler of a broker's answer to an asynchronous send (an anonymous
     * {@code InvokeCallback} of {@code MQClientAPIImpl}: {@code operationComplete} in 4.9,
     * {@code operationSucceed}/{@code operationFail} too in 5.x): it reads the answer
     * ({@code processSendResponse}) and then calls the application's {@code SendCallback}, which
     * runs in the caller's scope until the handler returns.
     */
    static final class AnswerHandlerInstrumentation implements TypeInstrumentation {
        @Override
        public ElementMatcher<TypeDescription> typeMatcher() {
            return nameStartsWith("org.apache.rocketmq.client.impl.MQClientAPIImpl$")
                    .and(hasSuperType(named("org.apache.rocketmq.remoting.InvokeCallback")));
        }

        @Override
        public void transform(AdviceTarget target) {
            target.applyAdvice(named("operationComplete").or(named("operationSucceed")).or(named("operationFail"))
                    .and(takesArguments(1)), ClientApiInstrumentation.class.getName() + "$AnswerHandlerAdvice");
        }
    }

    static final class AnswerHandlerAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Scope[] enter() {
            return ProduceCall.answerStarts();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Scope[] frame) {
            ProduceCall.answerEnds(frame);
        }
    }
}
