package io.rpctrace.instrumentation.kafka;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * Module {@code kafka} (kafka-clients 2.5 to 4.x): {@code kafka.produce} per message sent, timed
 * until the broker's acknowledgement, with the headers of docs/propagation.md#headers written on
 * the message; a scope per consumed message (docs/model.md#rule-1) while the application processes
 * it, ending with {@code kafka.consume}.
 *
 * <p>Design note: the advice calls two helpers of this module that name no Kafka type (they
 * ride on the boot class path with it). The acknowledgement is caught on the producer's own
 * completion object (bound to the send in a weak identity map, {@link ProduceCall}), and the
 * consumer's per-message scopes come from wrapping the iterators/lists that
 * {@code ConsumerRecords} hands out in JDK-typed wrappers ({@link ConsumeScopes}).
 */
public final class KafkaClientsModule extends InstrumentationModule {
    public KafkaClientsModule() {
        super("kafka");
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
                new ProducerCallbackInstrumentation(),
                new ConsumerInstrumentation(),
                new ConsumerRecordsInstrumentation());
    }
}
