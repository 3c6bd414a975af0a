package io.rpctrace.instrumentation.rabbitmq;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Consumer;
import com.rabbitmq.client.Envelope;
import io.rpctrace.Span;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.CallDepth;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every {@code Consumer.handleDelivery(consumerTag, envelope, properties, body)}: the
 * application's consumers ({@code DefaultConsumer} subclasses) and the one the client builds
 * around a {@code DeliverCallback}. A delivery is processed in its message's scope; a consumer
 * that hands the delivery to another consumer (or to {@code super}) records it once.
 */
final class ConsumerInstrumentation implements TypeInstrumentation {
    private static final ElementMatcher.Junction<MethodDescription> HANDLE_DELIVERY =
            named("handleDelivery").and(takesArguments(4)).and(takesArgument(1, named("com.rabbitmq.client.Envelope")));

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        // Cheap tests first: the hierarchy comes from class-file headers; only a Consumer is parsed
        // for its methods.
        return not(nameStartsWith("java.").or(nameStartsWith("jdk.")).or(nameStartsWith("sun.")))
                .and(not(named(SpringListenerInstrumentation.QUEUEING_CONSUMER)))
                .and(SuperTypes.concreteSubtypeOf("com.rabbitmq.client.Consumer"))
                .and(declaresMethod(HANDLE_DELIVERY.and(not(isAbstract()))));
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(HANDLE_DELIVERY.and(not(isAbstract())),
                ConsumerInstrumentation.class.getName() + "$HandleDeliveryAdvice");
    }

    static final class HandleDeliveryAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.This Object consumer, @Advice.Argument(1) Envelope envelope,
                          @Advice.Argument(2) AMQP.BasicProperties props, @Advice.Argument(3) byte[] body) {
            if (CallDepth.of(Consumer.class).enter() > 0) {
                return null;
            }
            return AmqpDeliveries.delivered(consumer, envelope == null ? null : envelope.getExchange(),
                    envelope == null ? null : envelope.getRoutingKey(), envelope == null ? -1 : envelope.getDeliveryTag(),
                    envelope != null && envelope.isRedeliver(), props == null ? null : props.getHeaders(),
                    body == null ? -1 : body.length);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span span, @Advice.Thrown Throwable thrown) {
            CallDepth.of(Consumer.class).exit();
            AmqpDeliveries.processed(span, AmqpDeliveries.takeListenerFailure(span, thrown));
        }
    }
}
