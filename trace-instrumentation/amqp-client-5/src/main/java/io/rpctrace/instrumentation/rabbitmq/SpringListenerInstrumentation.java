package io.rpctrace.instrumentation.rabbitmq;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Consumer;
import io.rpctrace.Span;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.CallDepth;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

/**
 * Spring AMQP's listener containers (2.x, 3.x; {@code @RabbitListener} and Spring Boot's
 * {@code spring-boot-starter-amqp}): {@code AbstractMessageListenerContainer.executeListener(channel,
 * data)} runs the application's listener for one message (or a batch). The default
 * {@code SimpleMessageListenerContainer} takes deliveries from its {@code BlockingQueueConsumer},
 * whose client-side consumer only queues them ({@link ConsumerInstrumentation} leaves it out),
 * and calls the listener on a thread of its own: the message's scope is entered here, from the
 * headers Spring copied into the message's properties, for the listener's run. The
 * {@code DirectMessageListenerContainer} calls it inside its consumer's {@code handleDelivery},
 * whose delivery scope is current already: nothing more is done then, except that a listener
 * that throws is reported to that delivery's record (the container handles the exception, so
 * {@code handleDelivery} returns normally).
 *
 * <p>A batch ({@code List<Message>}, {@code consumerBatchEnabled}) writes one record per message
 * at once; its listener runs outside their scopes.
 */
final class SpringListenerInstrumentation implements TypeInstrumentation {
    /** The client-side consumer of the SimpleMessageListenerContainer: it only queues the delivery. */
    static final String QUEUEING_CONSUMER = "org.springframework.amqp.rabbit.listener.BlockingQueueConsumer$InternalConsumer";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("executeListener").and(takesArguments(2))
                .and(takesArgument(0, named("com.rabbitmq.client.Channel"))),
                SpringListenerInstrumentation.class.getName() + "$ExecuteListenerAdvice");
    }

    static final class ExecuteListenerAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.Argument(0) Channel channel, @Advice.Argument(1) Object data) {
            if (CallDepth.of(Consumer.class).get() > 0) {
                return null;   // inside a delivery's handleDelivery (DirectMessageListenerContainer): its scope is current
            }
            String host = null;
            Connection c = channel == null ? null : channel.getConnection();
            if (c != null) {
                host = AmqpCalls.host(c);
                if (host == null) {
                    host = AmqpCalls.host(c, c.getAddress(), c.getPort());
                }
            }
            if (data instanceof Message) {
                Message m = (Message) data;
                MessageProperties p = m.getMessageProperties();
                byte[] body = m.getBody();
                return p == null ? null : AmqpDeliveries.listening(p.getConsumerQueue(), host, p.getReceivedExchange(),
                        p.getReceivedRoutingKey(), p.getDeliveryTag(), Boolean.TRUE.equals(p.getRedelivered()),
                        p.getHeaders(), body == null ? -1 : body.length);
            }
            if (data instanceof List) {
                for (Object o : (List<?>) data) {
                    if (o instanceof Message) {
                        Message m = (Message) o;
                        MessageProperties p = m.getMessageProperties();
                        byte[] body = m.getBody();
                        if (p != null) {
                            AmqpDeliveries.processed(AmqpDeliveries.listening(p.getConsumerQueue(), host,
                                    p.getReceivedExchange(), p.getReceivedRoutingKey(), p.getDeliveryTag(),
                                    Boolean.TRUE.equals(p.getRedelivered()), p.getHeaders(),
                                    body == null ? -1 : body.length), null);
                        }
                    }
                }
            }
            return null;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span span, @Advice.Thrown Throwable thrown) {
            if (span == null && thrown != null && CallDepth.of(Consumer.class).get() > 0) {
                AmqpDeliveries.listenerFailed(thrown);   // the delivery's record, which returns normally
                return;
            }
            AmqpDeliveries.processed(span, AmqpDeliveries.listenerFailure(thrown));
        }
    }
}
