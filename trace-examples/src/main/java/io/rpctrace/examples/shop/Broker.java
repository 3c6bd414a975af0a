package io.rpctrace.examples.shop;

import io.rpctrace.testing.kafka.KafkaBroker;
import java.nio.file.Paths;

/**
 * The demo's Kafka broker in a JVM of its own: the project's KRaft fixture ({@link KafkaBroker})
 * on {@code -Dshop.kafka.dir} and the shop's ports; creates {@code order.created}, prints
 * {@code ready}, stops when the JVM is asked to end. Runs without the agent: it is
 * infrastructure.
 */
public final class Broker {
    private Broker() {
    }

    public static void main(String[] args) throws Exception {
        KafkaBroker broker = KafkaBroker.start(Paths.get(System.getProperty("shop.kafka.dir")),
                Shop.port("kafka"), Shop.port("controller"));
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "broker-shutdown"));
        broker.createTopics(1, Shop.ORDER_CREATED);
        System.out.println(Shop.READY);
    }
}
