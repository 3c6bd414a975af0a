package io.rpctrace.it.rocketmq;

import java.util.UUID;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.MessageListener;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;

/** Producers and consumers of the RocketMQ API used by 4.9 and 5.x alike (no rpctrace code). */
public final class Clients {
    private Clients() {
    }

    /** A started producer of a new group on the name server {@code namesrv}; sends time out after 3 s, no retries. */
    public static DefaultMQProducer producer(String namesrv) throws Exception {
        DefaultMQProducer p = new DefaultMQProducer("pg-" + UUID.randomUUID().toString().substring(0, 8));
        p.setNamesrvAddr(namesrv);
        p.setInstanceName("p-" + UUID.randomUUID());
        p.setSendMsgTimeout(3000);
        p.setRetryTimesWhenSendFailed(0);
        p.setRetryTimesWhenSendAsyncFailed(0);
        p.start();
        return p;
    }

    /**
     * A started push consumer of a new group reading {@code topic} from its first message with
     * {@code listener} ({@code MessageListenerConcurrently} or {@code MessageListenerOrderly}).
     */
    public static DefaultMQPushConsumer pushConsumer(String namesrv, String topic, MessageListener listener) throws Exception {
        return pushConsumer(namesrv, topic, listener, 1);
    }

    /** The same, handing the listener up to {@code batchMaxSize} messages a call ({@code consumeMessageBatchMaxSize}). */
    public static DefaultMQPushConsumer pushConsumer(String namesrv, String topic, MessageListener listener,
                                                     int batchMaxSize) throws Exception {
        DefaultMQPushConsumer c = new DefaultMQPushConsumer("cg-" + UUID.randomUUID().toString().substring(0, 8));
        c.setNamesrvAddr(namesrv);
        c.setInstanceName("c-" + UUID.randomUUID());
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        c.setConsumeThreadMin(1);
        c.setConsumeThreadMax(1);
        c.setSuspendCurrentQueueTimeMillis(200);
        c.setConsumeMessageBatchMaxSize(batchMaxSize);
        // Design note: start() sends a heartbeat while its first rebalance sends another with the
        // subscription's new version; the second is dropped when the first holds the client's lock,
        // and the broker then refuses every pull as "subscription not latest" until the next
        // periodic heartbeat (30 s by default): a message sent right after start() would wait
        // ~20 s in most tests. One second here bounds that wait; nothing traced depends on it.
        c.setHeartbeatBrokerInterval(1000);
        c.subscribe(topic, "*");
        if (listener instanceof MessageListenerOrderly) {
            c.registerMessageListener((MessageListenerOrderly) listener);
        } else {
            c.registerMessageListener((MessageListenerConcurrently) listener);
        }
        c.start();
        return c;
    }
}
