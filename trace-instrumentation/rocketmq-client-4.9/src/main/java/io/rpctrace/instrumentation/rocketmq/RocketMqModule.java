package io.rpctrace.instrumentation.rocketmq;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * Module {@code rocketmq} (rocketmq-client 4.9 to 5.x, the remoting client): {@code rocketmq.produce}
 * per message a {@code DefaultMQProducer} sends, with the ids of docs/propagation.md#headers in the
 * message's user properties; a scope per message a push consumer's listener processes
 * (docs/model.md#rule-1), ending with {@code rocketmq.consume} coded by the listener's answer; a
 * {@code rocketmq.consume} record per message a {@code DefaultLitePullConsumer} polls.
 *
 * <p>Design note: advice on the library's own implementation classes
 * ({@code DefaultMQProducerImpl}, {@code MQClientAPIImpl}, the push consumer's services), not the
 * library's {@code SendMessageHook}/{@code ConsumeMessageHook}: a hook implements a library
 * interface (a class the agent would have to define in the application's class loader), runs
 * per attempt rather than per send, and never sees a send that fails before it reaches a
 * broker (no route to the topic). Listeners are not instrumented themselves either: they are
 * often lambdas. The logic is in {@link ProduceCall} and {@link ConsumeScopes}, which name no
 * RocketMQ type.
 */
public final class RocketMqModule extends InstrumentationModule {
    public RocketMqModule() {
        super("rocketmq");
    }

    @Override
    public List<String> landmarkClasses() {
        return Arrays.asList(
                "org.apache.rocketmq.client.impl.producer.DefaultMQProducerImpl",
                "org.apache.rocketmq.client.consumer.DefaultLitePullConsumer",   // added in 4.6
                "org.apache.rocketmq.client.hook.EndTransactionHook");            // added in 4.9: the floor
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new ProducerInstrumentation(), new AsyncSendTaskInstrumentation(),
                new ClientApiInstrumentation(), new ClientApiInstrumentation.AnswerHandlerInstrumentation(),
                new PushConsumerInstrumentation(), new ListenerExceptionInstrumentation(),
                ConsumeRequestInstrumentation.concurrently(),
                ConsumeRequestInstrumentation.orderly(), TakenMessagesInstrumentation.orderly(),
                TakenMessagesInstrumentation.pull());
    }
}
