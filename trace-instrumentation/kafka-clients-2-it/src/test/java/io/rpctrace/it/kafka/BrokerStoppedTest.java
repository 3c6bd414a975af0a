package io.rpctrace.it.kafka;

import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.kafka.KafkaBroker;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** A send the broker never acknowledges (it stopped) ends as kafka.produce.error. */
class BrokerStoppedTest {
    @Test
    void aSendToAStoppedBrokerIsAProduceError() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.createTopics(1, "late");
            try (KafkaProducer<String, String> producer = Clients.producer(broker, Map.of(
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 1000,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000,
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2000,
                    ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200))) {
                producer.send(new ProducerRecord<>("late", "before")).get();   // metadata is known now
                broker.stop();
                AgentRecords agent = AgentRecords.start();
                String traceId;
                try (Span req = Trace.enter(null, null)) {
                    traceId = req.traceId();
                    assertThrows(ExecutionException.class,
                            () -> producer.send(new ProducerRecord<>("late", "after")).get(20, TimeUnit.SECONDS));
                }
                Records.of(agent.flush()).inTrace(traceId).named("kafka.produce.error").single()
                        .hasRpcId("0.2").has("x_action", "late");
                producer.close(Duration.ZERO);
            }
        }
    }
}
