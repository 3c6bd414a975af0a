package io.rpctrace.it.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.BatchListeners;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import io.rpctrace.testing.http.Backend;
import io.rpctrace.testing.kafka.KafkaBroker;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.util.backoff.FixedBackOff;

/**
 * Spring for Apache Kafka as a Spring Boot application uses it: a {@code KafkaTemplate} sends, a
 * {@code KafkaMessageListenerContainer} (what {@code @KafkaListener} runs on) with its default
 * {@code DefaultErrorHandler} runs a record listener. With the packaged agent and a real broker.
 */
@ExtendWith(NoInstrumentationErrors.class)
class SpringKafkaTest {
    static KafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start();
        broker.createTopics(1, "payments", "refunds", "chargebacks", "rebates");
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * Two messages of one poll; the listener throws on the first, once more on its retry, then the
     * error handler gives up on it (logs it) and the second is processed. Each delivery of the first
     * is {@code kafka.consume.error} coded by the listener's exception (the container catches it, so
     * no iteration of the application sees it); the second, which the error handler took from the
     * iteration twice only to seek back to it, has one record, that of its processing.
     */
    @Test
    void aListenerThatThrowsIsAnErrorAndTheMessagesSoughtBackToAreNotRecorded() throws Exception {
        AgentRecords agent = AgentRecords.start();
        KafkaTemplate<String, String> template = template();
        String traceId;
        try (Span s = Trace.enter(null, null)) {
            traceId = Trace.traceId();
            template.send("payments", "fail-1").get(10, TimeUnit.SECONDS);   // 0.2
            template.send("payments", "ok-2").get(10, TimeUnit.SECONDS);     // 0.3
        }
        template.destroy();
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        ContainerProperties props = new ContainerProperties("payments");
        props.setGroupId("billing");
        props.setMessageListener((MessageListener<String, String>) r -> {
            seen.add(r.value() + " " + Trace.rpcId());
            if (r.value().startsWith("fail")) {
                throw new IllegalStateException("payment rejected");
            }
        });
        KafkaMessageListenerContainer<String, String> container = new KafkaMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(consumerConfig()), props);
        container.setCommonErrorHandler(new DefaultErrorHandler(new FixedBackOff(0L, 1L)));
        container.start();
        try {
            assertEquals("fail-1 0.2.1", seen.poll(30, TimeUnit.SECONDS));
            assertEquals("fail-1 0.2.1", seen.poll(30, TimeUnit.SECONDS));
            assertEquals("ok-2 0.3.1", seen.poll(30, TimeUnit.SECONDS));
        } finally {
            container.stop();
        }
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("kafka.consume").size() >= 1
                && r.inTrace(traceId).named("kafka.consume.error").size() >= 2).inTrace(traceId);
        assertEquals(List.of("0.2.1", "0.2.1"), trace.named("kafka.consume.error")
                .where(r -> "IllegalStateException".equals(r.string("x_code"))).rpcIds());
        assertEquals(List.of("0.3.1"), trace.named("kafka.consume").rpcIds());
        // KafkaTemplate's frames are the library's: x_module names the method that called it
        assertEquals(List.of("0.2", "0.3"), trace.named("kafka.produce").where(r -> r.string("x_module") != null
                && r.string("x_module").startsWith("spring_kafka_test_a_listener_that_throws")).rpcIds(),
                trace.toString());
    }

    /**
     * A batch listener ({@code List<ConsumerRecord>}, what {@code @KafkaListener(batch = "true")}
     * runs): the container hands it a poll's messages whole. Each message gets its kafka.consume
     * record in its own trace (0.2.1 under its send), none lost; the listener's work belongs to no
     * single message, so it runs in a scope of the batch's own (a new trace, as a request without
     * caller ids: current id 0.1, its calls 0.2, 0.3), which each message's record names as
     * batch_trace_id (docs/instrumentation/kafka.md, "Spring for Apache Kafka").
     */
    @Test
    void aBatchListenerRunsInATraceOfItsOwnThatEachMessageNames() throws Exception {
        AgentRecords agent = AgentRecords.start();
        List<String> traces = sendThreeInTracesOfTheirOwn("refunds");
        BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        ContainerProperties props = new ContainerProperties("refunds");
        props.setGroupId("refunding");
        props.setMessageListener((BatchMessageListener<String, String>) records ->
                calls.add(BatchListeners.process(records.size())));
        KafkaMessageListenerContainer<String, String> container = new KafkaMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(consumerConfig()), props);
        container.start();
        String call;
        try {
            call = calls.poll(30, TimeUnit.SECONDS);
        } finally {
            container.stop();
        }
        BatchListeners.assertRunsInATraceOfItsOwn(agent, "kafka.consume", "refunds", traces, call);
    }

    /**
     * A batch listener that throws: the container hands the exception to its batch error handler
     * (which gives up here at once). Each message handed to the listener is
     * {@code kafka.consume.error} in its own trace, coded by the listener's exception, and its
     * record lasts until the listener was done with the batch.
     */
    @Test
    void aBatchListenerThatThrowsFailsEveryMessageItWasHanded() throws Exception {
        AgentRecords agent = AgentRecords.start();
        List<String> traces = sendThreeInTracesOfTheirOwn("chargebacks");
        BlockingQueue<Integer> handed = new LinkedBlockingQueue<>();
        KafkaMessageListenerContainer<String, String> container = batchListening("chargebacks", "disputes", records -> {
            handed.add(records.size());
            Backend.sleep(50);
            throw new IllegalStateException("ledger closed");
        });
        try {
            assertEquals(3, handed.poll(30, TimeUnit.SECONDS));
        } finally {
            container.stop();
        }
        Records all = AwaitRecords.until(agent, r -> r.named("kafka.consume.error")
                .where(c -> traces.contains(c.traceId())).size() >= traces.size());
        for (String t : traces) {
            TraceRecord failed = all.inTrace(t).named("kafka.consume.error").single().hasRpcId("0.2.1")
                    .has("x_action", "chargebacks").has("x_code", "IllegalStateException").record();
            assertTrue(failed.string("x_msg").contains("ledger closed"), failed.line());
            assertTrue(((Number) failed.fields().get("x_duration")).doubleValue() >= 0.05, failed.line());
            assertNotNull(failed.extra("batch_trace_id"), failed.line());
            assertEquals(0, all.inTrace(t).named("kafka.consume").size(), all.inTrace(t).toString());
        }
    }

    /**
     * A batch listener names the message that failed ({@code BatchListenerFailedException} with its
     * index), as Spring Kafka asks a batch listener to: the message before it was processed, it
     * failed, and the one after it, which the error handler seeks back to and the listener gets
     * again, has one record, from the delivery that processed it.
     */
    @Test
    void aBatchListenerNamingTheFailedMessageFailsOnlyThatOne() throws Exception {
        AgentRecords agent = AgentRecords.start();
        List<String> traces = sendThreeInTracesOfTheirOwn("rebates");
        BlockingQueue<Integer> handed = new LinkedBlockingQueue<>();
        KafkaMessageListenerContainer<String, String> container = batchListening("rebates", "rebaters", records -> {
            handed.add(records.size());
            if (records.size() == 3) {
                throw new BatchListenerFailedException("rebate 1 failed", new IllegalStateException("ledger closed"), 1);
            }
        });
        try {
            assertEquals(3, handed.poll(30, TimeUnit.SECONDS));
            assertEquals(1, handed.poll(30, TimeUnit.SECONDS), "the message after the failed one, again");
        } finally {
            container.stop();
        }
        Records all = AwaitRecords.until(agent, r -> r.inTrace(traces.get(1)).named("kafka.consume.error").size() == 1
                && r.inTrace(traces.get(2)).named("kafka.consume").size() == 1);
        all.inTrace(traces.get(0)).named("kafka.consume").single().hasRpcId("0.2.1").has("x_action", "rebates");
        TraceRecord failed = all.inTrace(traces.get(1)).named("kafka.consume.error").single().hasRpcId("0.2.1")
                .has("x_code", "IllegalStateException").record();
        assertTrue(failed.string("x_msg").contains("ledger closed"), failed.line());
        all.inTrace(traces.get(2)).named("kafka.consume").single().hasRpcId("0.2.1");
        assertEquals(0, all.inTrace(traces.get(0)).named("kafka.consume.error").size(), all.toString());
        assertEquals(0, all.inTrace(traces.get(1)).named("kafka.consume").size(), all.toString());
        assertEquals(0, all.inTrace(traces.get(2)).named("kafka.consume.error").size(), all.toString());
    }

    /** A started container of group {@code group} handing {@code topic}'s polls to a batch listener; its error handler gives up at once. */
    private static KafkaMessageListenerContainer<String, String> batchListening(String topic, String group,
                                                                              BatchMessageListener<String, String> listener) {
        ContainerProperties props = new ContainerProperties(topic);
        props.setGroupId(group);
        props.setMessageListener(listener);
        KafkaMessageListenerContainer<String, String> container = new KafkaMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(consumerConfig()), props);
        container.setCommonErrorHandler(new DefaultErrorHandler(new FixedBackOff(0L, 0L)));
        container.start();
        return container;
    }

    /** Three messages to {@code topic}, each sent ({@code 0.2}) in a trace of its own; their trace ids. */
    private static List<String> sendThreeInTracesOfTheirOwn(String topic) throws Exception {
        KafkaTemplate<String, String> template = template();
        List<String> traces = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (Span s = Trace.enter(null, null)) {
                traces.add(Trace.traceId());
                template.send(topic, topic + "-" + i).get(10, TimeUnit.SECONDS);
            }
        }
        template.destroy();
        return traces;
    }

    private static KafkaTemplate<String, String> template() {
        return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class)));
    }

    private static Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    }
}
