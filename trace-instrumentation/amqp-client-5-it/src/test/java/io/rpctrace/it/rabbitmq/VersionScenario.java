package io.rpctrace.it.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An application on amqp-client alone (the 5.0 API, no rpctrace code), run in a child JVM with
 * and without the agent and at the floor and latest client: it prints what it sees
 * ({@code RESULT ...}), which must not depend on the agent.
 */
public final class VersionScenario {
    private VersionScenario() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("JAR " + Channel.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(Broker.HOST);
        f.setPort(Broker.PORT);
        f.setUsername("guest");
        f.setPassword("guest");
        Connection conn = f.newConnection("version-scenario");
        try {
            Channel pub = conn.createChannel();
            AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("text/plain").priority(3)
                    .headers(Collections.<String, Object>singletonMap("tenant", "acme")).build();

            // a DefaultConsumer
            String q1 = Broker.queue(pub);
            BlockingQueue<String> seen = new LinkedBlockingQueue<>();
            Channel c1 = conn.createChannel();
            c1.basicConsume(q1, true, new DefaultConsumer(c1) {
                @Override
                public void handleDelivery(String tag, Envelope e, AMQP.BasicProperties p, byte[] body) {
                    seen.add("consumer " + describe(p, body));
                }
            });
            pub.basicPublish("", q1, props, "one".getBytes(StandardCharsets.UTF_8));
            System.out.println("RESULT " + seen.poll(10, TimeUnit.SECONDS));

            // a DeliverCallback
            String q2 = Broker.queue(pub);
            Channel c2 = conn.createChannel();
            c2.basicConsume(q2, true, (tag, d) -> seen.add("callback " + describe(d.getProperties(), d.getBody())),
                    tag -> { });
            pub.basicPublish("", q2, null, "two".getBytes(StandardCharsets.UTF_8));
            System.out.println("RESULT " + seen.poll(10, TimeUnit.SECONDS));

            // basicGet, acknowledged
            String q3 = Broker.queue(pub);
            pub.basicPublish("", q3, props, "three".getBytes(StandardCharsets.UTF_8));
            Channel c3 = conn.createChannel();
            GetResponse got = Broker.get(c3, q3, false);
            c3.basicAck(got.getEnvelope().getDeliveryTag(), false);
            System.out.println("RESULT get " + describe(got.getProps(), got.getBody()) + " left=" + got.getMessageCount());

            // a consumer that throws: the library's own handling (the channel is closed)
            String q4 = Broker.queue(pub);
            Channel c4 = conn.createChannel();
            c4.basicConsume(q4, true, new DefaultConsumer(c4) {
                @Override
                public void handleDelivery(String tag, Envelope e, AMQP.BasicProperties p, byte[] body) {
                    seen.add("thrower " + new String(body, StandardCharsets.UTF_8));
                    throw new IllegalStateException("out of stock");
                }
            });
            pub.basicPublish("", q4, null, "four".getBytes(StandardCharsets.UTF_8));
            System.out.println("RESULT " + seen.poll(10, TimeUnit.SECONDS));

            // a publish to a missing exchange closes the channel; the next publish fails
            Channel c5 = conn.createChannel();
            c5.basicPublish("no-such-exchange-scenario", "k", null, new byte[1]);
            long end = System.nanoTime() + 5_000_000_000L;
            while (c5.isOpen() && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            System.out.println("RESULT missing-exchange open=" + c5.isOpen() + " reason=" + c5.getCloseReason().getReason());
            try {
                c5.basicPublish("", q1, null, new byte[1]);
                System.out.println("RESULT publish-after-close ok");
            } catch (Exception e) {
                System.out.println("RESULT publish-after-close " + e.getClass().getName());
            }
        } finally {
            conn.close();
        }
        System.out.println("DONE");
    }

    static String describe(AMQP.BasicProperties p, byte[] body) {
        Object tenant = p.getHeaders() == null ? null : p.getHeaders().get("tenant");
        return new String(body, StandardCharsets.UTF_8) + " type=" + p.getContentType() + " priority=" + p.getPriority()
                + " tenant=" + tenant;
    }
}
