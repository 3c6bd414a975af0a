package io.rpctrace.it.kafka;

import io.rpctrace.testing.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Plain clients, configured as an application would; no tracing code anywhere. */
final class Clients {
    private Clients() {
    }

    static KafkaProducer<String, String> producer(KafkaBroker broker, Map<String, Object> extra) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.putAll(extra);
        return new KafkaProducer<>(p);
    }

    /** A consumer of group {@code group} subscribed to {@code topic}. */
    static KafkaConsumer<String, String> consumer(KafkaBroker broker, String group, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    /** Polls until {@code n} messages were handed to {@code loop} (a poll-loop body), or fails after 30 s. */
    static void pollUntil(KafkaConsumer<String, String> consumer, int n,
                          Consumer<ConsumerRecords<String, String>> loop) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int seen = 0;
        while (seen < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + seen + " of " + n + " messages consumed");
            }
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
            seen += records.count();
            if (!records.isEmpty()) {
                loop.accept(records);
            }
        }
    }

    /** The values of header {@code name}. */
    static List<String> header(ConsumerRecord<?, ?> r, String name) {
        List<String> out = new ArrayList<>();
        for (Header h : r.headers().headers(name)) {
            out.add(new String(h.value(), StandardCharsets.UTF_8));
        }
        return out;
    }
}
