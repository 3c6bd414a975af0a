package io.rpctrace.it.rocketmq;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * An application on rocketmq-client alone (the 4.9 API, no rpctrace code), run in a child JVM
 * with and without the agent and at the floor and latest client: it prints what it sees
 * ({@code RESULT ...}), which must not depend on the agent. Arguments: the name server and four
 * topics (push, retry, async, pull).
 */
public final class VersionScenario {
    private VersionScenario() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("JAR " + DefaultMQProducer.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        String namesrv = args[0];
        DefaultMQProducer producer = Clients.producer(namesrv);
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try {
            // a push consumer's listener
            DefaultMQPushConsumer push = Clients.pushConsumer(namesrv, args[1], (MessageListenerConcurrently) (msgs, c) -> {
                seen.add("push " + describe(msgs.get(0)));
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
            Message m = new Message(args[1], "paid", "one".getBytes(StandardCharsets.UTF_8));
            m.putUserProperty("tenant", "acme");
            System.out.println("RESULT send " + producer.send(m).getSendStatus());
            System.out.println("RESULT " + seen.poll(60, TimeUnit.SECONDS));
            push.shutdown();

            // a listener that asks for the message again once
            DefaultMQPushConsumer retry = Clients.pushConsumer(namesrv, args[2], (MessageListenerConcurrently) (msgs, c) -> {
                MessageExt x = msgs.get(0);
                seen.add("retry " + x.getReconsumeTimes() + " " + describe(x));
                return x.getReconsumeTimes() == 0 ? ConsumeConcurrentlyStatus.RECONSUME_LATER
                        : ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
            producer.send(new Message(args[2], "again", "two".getBytes(StandardCharsets.UTF_8)));
            System.out.println("RESULT " + seen.poll(60, TimeUnit.SECONDS));
            System.out.println("RESULT " + seen.poll(60, TimeUnit.SECONDS));
            retry.shutdown();

            // no route to the topic
            try {
                producer.send(new Message("no-such-topic-" + UUID.randomUUID(), new byte[1]));
                System.out.println("RESULT no-route sent");
            } catch (MQClientException e) {
                System.out.println("RESULT no-route " + e.getResponseCode());
            }

            // an asynchronous send
            producer.send(new Message(args[3], "three".getBytes(StandardCharsets.UTF_8)), new SendCallback() {
                @Override
                public void onSuccess(SendResult r) {
                    seen.add("async " + r.getSendStatus());
                }

                @Override
                public void onException(Throwable e) {
                    seen.add("async " + e);
                }
            });
            System.out.println("RESULT " + seen.poll(60, TimeUnit.SECONDS));

            // a lite pull consumer
            producer.send(new Message(args[4], "pulled", "four".getBytes(StandardCharsets.UTF_8)));
            DefaultLitePullConsumer pull = new DefaultLitePullConsumer("lg-" + UUID.randomUUID().toString().substring(0, 8));
            pull.setNamesrvAddr(namesrv);
            pull.setInstanceName("l-" + UUID.randomUUID());
            pull.subscribe(args[4], "*");
            pull.start();
            List<MessageExt> got = Collections.emptyList();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (got.isEmpty() && System.nanoTime() < end) {
                got = pull.poll(1000);
            }
            System.out.println("RESULT pull " + got.size() + " " + (got.isEmpty() ? "" : describe(got.get(0))));
            pull.shutdown();
        } finally {
            producer.shutdown();
        }
        System.out.println("DONE");
        System.exit(0);
    }

    static String describe(MessageExt m) {
        return new String(m.getBody(), StandardCharsets.UTF_8) + " tags=" + m.getTags() + " tenant="
                + m.getUserProperty("tenant");
    }
}
