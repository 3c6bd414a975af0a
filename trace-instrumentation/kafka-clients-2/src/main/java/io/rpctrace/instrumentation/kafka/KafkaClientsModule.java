package io.rpctrace.instrumentation.kafka;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.HelperClasses;
import java.util.Arrays;
import java.util.List;

/**
 * Module {@code kafka} (kafka-clients 2.5 to 4.x): {@code kafka.produce} per message sent, timed
 * until the broker's acknowledgement, with the headers of docs/propagation.md#headers written on
 * the message; a scope per consumed message (docs/model.md#rule-1) while the application processes
 * it, ending with {@code kafka.consume}.
 *
 * <p>Design note: the advice calls two helpers of this module that name no Kafka type (they
 * ride on the boot class path with it). The acknowledgement reaches the call through the
 * send's callback, which is the call itself ({@link ProduceCall}; its class implements Kafka's
 * {@code Callback}, so it is defined next to the application's kafka-clients from
 * {@code io.rpctrace.kafka} in the agent jar), and the consumer's per-message scopes come from
 * wrapping the iterators/lists that {@code ConsumerRecords} hands out in JDK-typed wrappers
 * ({@link ConsumeScopes}).
 */
public final class KafkaClientsModule extends InstrumentationModule {
    public KafkaClientsModule() {
        super("kafka");
        HelperClasses.register(KafkaClientsModule.class.getClassLoader(), "io.rpctrace.kafka.");
    }

    @Override
    public List<String> landmarkClasses() {
        return Arrays.asList(
                "org.apache.kafka.common.header.Headers",                         // added in 0.11
                "org.apache.kafka.clients.consumer.ConsumerGroupMetadata");       // added in 2.5: the floor
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(
                new ProducerInstrumentation(),
                new ConsumerInstrumentation(),
                new ConsumerRecordsInstrumentation(),
                new SpringListenerContainerInstrumentation());
    }
}
