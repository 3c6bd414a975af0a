package io.rpctrace.instrumentation.rocketmq;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.impl.CommunicationMode;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageAccessor;
import org.apache.rocketmq.common.message.MessageBatch;

/**
 * {@code DefaultMQProducerImpl}, behind every {@code DefaultMQProducer.send}/{@code sendOneway}/
 * {@code request}: {@code sendDefaultImpl} (the producer picks the queue, and retries a failed
 * send on another broker), {@code sendSelectImpl} (a {@code MessageQueueSelector} picks it) and
 * {@code sendKernelImpl} (one attempt; called by the other two, and directly for a send to a
 * given queue). The outermost of them is the call; the advice of the inner ones does nothing.
 */
final class ProducerInstrumentation implements TypeInstrumentation {
    private static final String MESSAGE = "org.apache.rocketmq.common.message.Message";
    private static final String MODE = "org.apache.rocketmq.client.impl.CommunicationMode";
    private static final String CALLBACK = "org.apache.rocketmq.client.producer.SendCallback";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.rocketmq.client.impl.producer.DefaultMQProducerImpl");
    }

    @Override
    public void transform(AdviceTarget target) {
        String advice = ProducerInstrumentation.class.getName() + "$SendAdvice";
        target.applyAdvice(named("sendDefaultImpl").and(takesArguments(4)).and(takesArgument(0, named(MESSAGE)))
                                .and(takesArgument(1, named(MODE))), advice)
                .applyAdvice(named("sendSelectImpl").and(takesArguments(6)).and(takesArgument(0, named(MESSAGE)))
                        .and(takesArgument(3, named(MODE))), advice)
                .applyAdvice(named("sendKernelImpl").and(takesArguments(6)).and(takesArgument(0, named(MESSAGE)))
                        .and(takesArgument(2, named(MODE))), advice);
        // the asynchronous sends that hand the message to the producer's executor:
        // send(Message, SendCallback, long), send(Message, MessageQueue, SendCallback, long),
        // send(Message, MessageQueueSelector, Object, SendCallback, long)
        target.applyAdvice(named("send").and(takesArgument(0, named(MESSAGE))).and(
                takesArguments(3).and(takesArgument(1, named(CALLBACK))).and(takesArgument(2, long.class))
                        .or(takesArguments(4).and(takesArgument(2, named(CALLBACK))).and(takesArgument(3, long.class)))
                        .or(takesArguments(5).and(takesArgument(3, named(CALLBACK))).and(takesArgument(4, long.class)))),
                ProducerInstrumentation.class.getName() + "$AsyncSendAdvice");
    }

    /**
     * An asynchronous send starts its call here, on the caller's thread and in the caller's
     * scope, and puts the ids on the message before the library hands it to its executor; the
     * task that sends it continues the call ({@link AsyncSendTaskInstrumentation}), and the
     * broker's answer or the last failure ends it. Thrown here (the executor rejected the task,
     * the message is invalid) it ends now.
     */
    static final class AsyncSendAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ProduceCall enter(@Advice.Argument(0) Message msg) {
            if (ProduceCall.ASYNC_DEPTH.enter() > 0 || msg == null) {
                return null;
            }
            byte[] body = msg.getBody();
            ProduceCall call = ProduceCall.startAsync(msg.getTopic(), msg.getTags(), body == null ? -1 : body.length);
            if (msg.getProperty(UserProperties.TRACE_ID) != null) {
                for (String name : UserProperties.CARRIED) {   // sent before: none of its old ids stay
                    MessageAccessor.clearProperty(msg, name);
                }
            }
            String[] props = call.properties();
            for (int i = 0; props[i] != null; i += 2) {   // a null ends the pairs
                msg.putUserProperty(props[i], props[i + 1]);
            }
            return call;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter ProduceCall call, @Advice.Argument(0) Message msg,
                         @Advice.Thrown Throwable thrown) {
            ProduceCall.ASYNC_DEPTH.exit();
            if (call == null) {
                return;
            }
            ProduceCall.startedAsync(thrown == null ? msg : null);
            if (thrown != null && call.claim()) {
                call.failed(thrown, thrown instanceof MQClientException ? ((MQClientException) thrown).getResponseCode() : -1);
            }
        }
    }

    /**
     * The outermost send starts the call and puts its ids on the message (or, in the task of an
     * asynchronous send, continues the call {@link AsyncSendAdvice} started); its return (or
     * throw) ends the call unless an asynchronous answer will ({@link ClientApiInstrumentation}).
     */
    static final class SendAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ProduceCall enter(@Advice.Argument(0) Message msg, @Advice.AllArguments Object[] args) {
            if (ProduceCall.DEPTH.enter() > 0 || msg == null) {
                return null;
            }
            ProduceCall adopted = ProduceCall.adopt(msg);   // the task of an asynchronous send: its call started already
            if (adopted != null) {
                return adopted;
            }
            String mode = null;
            for (Object a : args) {
                if (a instanceof CommunicationMode) {
                    mode = ((CommunicationMode) a).name();
                }
            }
            byte[] body = msg.getBody();
            ProduceCall call = ProduceCall.start(msg.getTopic(), msg.getTags(), mode, body == null ? -1 : body.length);
            // a batch's messages were encoded into its body before the send: they carry no ids
            if (!(msg instanceof MessageBatch)) {
                if (msg.getProperty(UserProperties.TRACE_ID) != null) {
                    for (String name : UserProperties.CARRIED) {   // sent before: none of its old ids stay
                        MessageAccessor.clearProperty(msg, name);
                    }
                }
                String[] props = call.properties();
                for (int i = 0; props[i] != null; i += 2) {   // a null ends the pairs
                    msg.putUserProperty(props[i], props[i + 1]);
                }
            }
            return call;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter ProduceCall call, @Advice.Return SendResult result,
                         @Advice.Thrown Throwable thrown) {
            ProduceCall.DEPTH.exit();
            if (call == null) {
                return;
            }
            ProduceCall.endSend();
            if (thrown != null) {
                if (call.claim()) {
                    call.failed(thrown, thrown instanceof MQClientException
                            ? ((MQClientException) thrown).getResponseCode()
                            : thrown instanceof MQBrokerException ? ((MQBrokerException) thrown).getResponseCode() : -1);
                }
            } else if (!call.pending() && call.claim()) {
                if (result == null) {
                    call.acked(null, null, -1, -1);   // one-way: no answer is waited for
                } else {
                    call.acked(result.getSendStatus() == null ? null : result.getSendStatus().name(),
                            result.getMsgId(), result.getMessageQueue() == null ? -1
                                    : result.getMessageQueue().getQueueId(), result.getQueueOffset());
                }
            }
        }
    }
}
