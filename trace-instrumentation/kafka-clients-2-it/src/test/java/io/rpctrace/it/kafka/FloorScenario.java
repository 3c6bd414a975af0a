package io.rpctrace.it.kafka;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Run in a child JVM whose class path holds the floor kafka-clients: a request that
 * produces, then a consumer loop that processes the message. Prints what it saw.
 * Uses only API present in 2.x and 4.x.
 */
public final class FloorScenario {
    private FloorScenario() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String topic = args[1];
        Properties pp = new Properties();
        pp.put("bootstrap.servers", bootstrap);
        pp.put("key.serializer", StringSerializer.class.getName());
        pp.put("value.serializer", StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(pp);
             Span req = Trace.enter(null, null)) {
            System.out.println("TRACE " + req.traceId());
            producer.send(new ProducerRecord<>(topic, "floor")).get();
        }
        Properties cp = new Properties();
        cp.put("bootstrap.servers", bootstrap);
        cp.put("group.id", "floor");
        cp.put("auto.offset.reset", "earliest");
        cp.put("key.deserializer", StringDeserializer.class.getName());
        cp.put("value.deserializer", StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            int seen = 0;
            while (seen == 0 && System.currentTimeMillis() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, String> r : records) {
                    seen++;
                    System.out.println("SEEN " + Trace.traceId() + " " + Trace.rpcId() + " "
                            + new String(r.headers().lastHeader("x-rpc-id").value(), StandardCharsets.UTF_8));
                }
                System.out.println("AFTER [" + Trace.rpcId() + "]");
            }
        }
        System.out.println("JAR " + KafkaProducer.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    }
}
