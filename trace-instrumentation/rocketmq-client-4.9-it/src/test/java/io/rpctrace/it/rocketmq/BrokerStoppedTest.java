package io.rpctrace.it.rocketmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.Records;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A send to a broker that went down (a server of its own, not the shared one): rocketmq.produce.error coded 10001. */
@ExtendWith(NoInstrumentationErrors.class)
class BrokerStoppedTest {
    @Test
    void aSendToABrokerThatIsDownIsAnErrorCodedConnectBroker() throws Exception {
        try (RocketMqServer server = RocketMqServer.start()) {
            String topic = server.topic("down");
            DefaultMQProducer producer = Clients.producer(server.namesrv());
            try {
                assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, new byte[1])).getSendStatus());
                server.stopBroker();
                AgentRecords agent = AgentRecords.start();
                String traceId;
                MQClientException thrown;
                try (Span req = Trace.enter(null, null)) {
                    traceId = req.traceId();
                    // the producer still routes the topic to the broker it knew: the connection is refused
                    thrown = assertThrows(MQClientException.class, () -> producer.send(new Message(topic, new byte[1])));
                }
                assertEquals(10001, thrown.getResponseCode(), thrown.toString());
                Records.of(agent.flush()).inTrace(traceId).named("rocketmq.produce.error").single().hasRpcId("0.2")
                        .has("x_code", "10001").has("x_action", topic).has("x_host", server.broker());
            } finally {
                producer.shutdown();
            }
        }
    }
}
