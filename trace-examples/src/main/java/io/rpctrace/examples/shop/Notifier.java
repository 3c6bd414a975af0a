package io.rpctrace.examples.shop;

import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code order.created} and tells the customer through the gateway's
 * {@code POST /notifications} ({@code HttpURLConnection}).
 */
public final class Notifier {
    private static final Logger log = LoggerFactory.getLogger(Notifier.class);

    private Notifier() {
    }

    public static void main(String[] args) throws Exception {
        URL notifications = new URL("http://127.0.0.1:" + Shop.port("gateway") + "/notifications");
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Shop.setting("kafka", "127.0.0.1:9092"));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "notifier");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            consumer.wakeup();
            try {
                main.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "notifier-shutdown"));
        consumer.subscribe(List.of(Shop.ORDER_CREATED), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                if (!partitions.isEmpty()) {
                    log.info("notifier consuming {}", partitions);
                    System.out.println(Shop.READY);
                }
            }
        });
        try {
            while (true) {
                ConsumerRecords<String, String> batch = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, String> r : batch) {
                    handle(notifications, r);
                }
            }
        } catch (WakeupException stopping) {
            // shutdown hook
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private static void handle(URL notifications, ConsumerRecord<String, String> r) {
        Map<String, String> order = Shop.parse(r.value());
        log.debug("order.created at offset {}: {}", r.offset(), r.value());
        String message = Shop.json("to", order.get("customer"), "text",
                "Your order of " + order.get("qty") + " x " + order.get("sku") + " is on its way", "order", r.key());
        try {
            HttpURLConnection c = (HttpURLConnection) notifications.openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(5000);
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(message.getBytes(StandardCharsets.UTF_8));
            }
            int status = c.getResponseCode();
            c.disconnect();
            log.info("order {} notified ({})", r.key(), status);
        } catch (IOException e) {
            log.warn("could not notify order {}: {}", r.key(), e.toString());
        }
    }
}
