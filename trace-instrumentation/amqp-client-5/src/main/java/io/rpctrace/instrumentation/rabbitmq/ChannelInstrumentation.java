package io.rpctrace.instrumentation.rabbitmq;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import io.rpctrace.Span;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.CallDepth;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code com.rabbitmq.client.impl.ChannelN}, the channel every {@code Channel} of the client is
 * or delegates to: {@code basicPublish} (every overload ends in the one with six arguments,
 * which from 5.x's NIO write path on calls the one with seven), {@code basicGet},
 * {@code basicConsume} with a {@code Consumer} (where every overload ends) and the settling
 * methods that end a {@code basicGet} message's scope.
 */
final class ChannelInstrumentation implements TypeInstrumentation {
    private static final String PROPS = "com.rabbitmq.client.AMQP$BasicProperties";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("com.rabbitmq.client.impl.ChannelN");
    }

    @Override
    public void transform(AdviceTarget target) {
        String self = ChannelInstrumentation.class.getName();
        target.applyAdvice(named("basicPublish").and(takesArguments(6).or(takesArguments(7)))
                                .and(takesArgument(4, named(PROPS))), self + "$PublishAdvice")
                .applyAdvice(named("basicGet").and(takesArguments(2)), self + "$GetAdvice")
                .applyAdvice(named("basicConsume").and(takesArguments(7))
                        .and(takesArgument(6, named("com.rabbitmq.client.Consumer"))), self + "$ConsumeAdvice")
                .applyAdvice(named("basicAck").and(takesArguments(2)), self + "$SettleAdvice")
                .applyAdvice(named("basicReject").and(takesArguments(2)), self + "$SettleAdvice")
                .applyAdvice(named("basicNack").and(takesArguments(3)), self + "$SettleAdvice");
    }

    static final class PublishAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.This Channel channel, @Advice.Argument(0) String exchange,
                          @Advice.Argument(1) String routingKey,
                          @Advice.Argument(value = 4, readOnly = false) AMQP.BasicProperties props,
                          @Advice.Argument(5) Object body) {
            if (CallDepth.of(AMQP.Basic.Publish.class).enter() > 0) {
                return null;   // the six-argument publish calling the seven-argument one
            }
            Connection c = channel.getConnection();
            String host = AmqpCalls.host(c);
            if (host == null) {
                host = AmqpCalls.host(c, c.getAddress(), c.getPort());
            }
            long len = body instanceof byte[] ? ((byte[]) body).length
                    : body instanceof ByteBuffer ? ((ByteBuffer) body).remaining() : -1;
            Span call = AmqpCalls.publish(exchange, routingKey, host, len);
            if (props != null && props.getHeaders() != null) {
                // the ids go into the header table as the client writes it (HeaderTableInstrumentation)
                AmqpCalls.deferHeaders(call);
                return call;
            }
            PublishHeaders h = AmqpCalls.headers(call, null);
            // a copy (its constructor copies h): the application's properties are never changed
            AMQP.BasicProperties p = props;
            props = p == null ? new AMQP.BasicProperties(null, null, h, null, null, null, null, null, null, null,
                    null, null, null, null)
                    : new AMQP.BasicProperties(p.getContentType(), p.getContentEncoding(), h, p.getDeliveryMode(),
                    p.getPriority(), p.getCorrelationId(), p.getReplyTo(), p.getExpiration(), p.getMessageId(),
                    p.getTimestamp(), p.getType(), p.getUserId(), p.getAppId(), p.getClusterId());
            return call;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span call, @Advice.Thrown Throwable thrown) {
            CallDepth.of(AMQP.Basic.Publish.class).exit();
            AmqpCalls.published(call, thrown);
        }
    }

    static final class GetAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            AmqpDeliveries.getStarted();
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Channel channel, @Advice.Argument(0) String queue,
                         @Advice.Return GetResponse response) {
            if (response == null) {
                return;
            }
            Connection c = channel.getConnection();
            String host = AmqpCalls.host(c);
            if (host == null) {
                host = AmqpCalls.host(c, c.getAddress(), c.getPort());
            }
            Envelope e = response.getEnvelope();
            AMQP.BasicProperties props = response.getProps();
            byte[] body = response.getBody();
            AmqpDeliveries.got(channel, queue, host, e == null ? null : e.getExchange(),
                    e == null ? null : e.getRoutingKey(), e == null ? -1 : e.getDeliveryTag(),
                    e != null && e.isRedeliver(), props == null ? null : props.getHeaders(),
                    body == null ? -1 : body.length);
        }
    }

    static final class ConsumeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Channel channel, @Advice.Argument(0) String queue,
                          @Advice.Argument(6) Object consumer) {
            // before the broker is asked: a delivery may reach the consumer before this returns
            Connection c = channel.getConnection();
            String host = AmqpCalls.host(c);
            if (host == null) {
                host = AmqpCalls.host(c, c.getAddress(), c.getPort());
            }
            AmqpCalls.consuming(consumer, queue, host);
        }
    }

    static final class SettleAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object channel, @Advice.Argument(0) long deliveryTag,
                          @Advice.Argument(1) boolean multiple, @Advice.Origin("#m") String method) {
            // basicReject's second argument is requeue, not multiple
            AmqpDeliveries.settled(channel, deliveryTag, multiple && !"basicReject".equals(method));
        }
    }
}
