package io.rpctrace.instrumentation.rabbitmq;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * Module {@code rabbitmq} (amqp-client 5.x): {@code rabbitmq.produce} per {@code basicPublish},
 * with the ids of docs/propagation.md#headers in a copy of the message's AMQP headers, and a
 * scope per delivery (docs/model.md#rule-1) ending with {@code rabbitmq.consume}: while a
 * {@code Consumer} (or {@code DeliverCallback}) handles it, or, for {@code basicGet}, until the
 * message is settled.
 *
 * <p>Design note: advice on the library's one channel implementation ({@code ChannelN}, which
 * the auto-recovering channel delegates to) and on every {@code Consumer.handleDelivery}
 * (the consumer built around a {@code DeliverCallback} included); no wrapper consumer, so
 * nothing implements a library type and {@code basicConsume} hands the broker the
 * application's own object. The logic is in {@link AmqpCalls} and {@link AmqpDeliveries},
 * which name no AMQP type.
 */
public final class RabbitMqModule extends InstrumentationModule {
    public RabbitMqModule() {
        super("rabbitmq");
    }

    @Override
    public List<String> landmarkClasses() {
        return Arrays.asList(
                "com.rabbitmq.client.impl.ChannelN",
                "com.rabbitmq.client.DeliverCallback");   // added in 5.0: the floor
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(new ChannelInstrumentation(), new RecoveryChannelInstrumentation(),
                new ConsumerInstrumentation(), new HeaderTableInstrumentation(), new SpringListenerInstrumentation());
    }
}
