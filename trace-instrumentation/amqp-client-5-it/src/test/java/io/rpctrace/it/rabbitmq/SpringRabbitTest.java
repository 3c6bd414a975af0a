package io.rpctrace.it.rabbitmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import io.rpctrace.testing.http.TestClient;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.listener.AbstractMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.DirectMessageListenerContainer;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;

/**
 * Spring AMQP as a Spring Boot application uses it ({@code spring-boot-starter-amqp}): a
 * {@code RabbitTemplate} over a {@code CachingConnectionFactory} publishes, a listener container
 * (the default {@code SimpleMessageListenerContainer}, whose consumer queues deliveries for the
 * container's own thread, and the {@code DirectMessageListenerContainer}) runs the listener. With
 * the packaged agent, against the RabbitMQ server of this machine.
 */
@ExtendWith(NoInstrumentationErrors.class)
class SpringRabbitTest {
    Connection connection;
    Channel admin;
    CachingConnectionFactory factory;
    AgentRecords agent;
    String queue;

    @BeforeEach
    void open() throws Exception {
        connection = Broker.connect();
        admin = connection.createChannel();
        queue = "rpctrace-spring-" + UUID.randomUUID();
        admin.queueDeclare(queue, false, false, false, null);
        factory = new CachingConnectionFactory(Broker.HOST, Broker.PORT);
        factory.setUsername("guest");
        factory.setPassword("guest");
        agent = AgentRecords.start();
    }

    @AfterEach
    void close() throws Exception {
        factory.destroy();
        if (connection != null) {
            admin.queueDelete(queue);
            connection.close();
        }
    }

    /**
     * A served request publishes with {@code RabbitTemplate.convertAndSend}; the default
     * container's listener calls the shop over HTTP. The publish is named after the application's
     * method (not the connection factory's channel proxy), and the listener runs in the message's
     * scope: its call and its ids are in the caller's trace.
     */
    @Test
    void simpleContainerListenerRunsInTheMessagesScope() throws Exception {
        endToEnd(new SimpleMessageListenerContainer(factory));
    }

    /** The same with the {@code DirectMessageListenerContainer}, which runs the listener on the client's consumer thread. */
    @Test
    void directContainerListenerRunsInTheMessagesScope() throws Exception {
        endToEnd(new DirectMessageListenerContainer(factory));
    }

    private void endToEnd(AbstractMessageListenerContainer container) throws Exception {
        RabbitTemplate template = new RabbitTemplate(factory);
        Shop shop = Shop.start(() -> placeOrder(template));
        String billUrl = shop.billUrl();
        String traceId = UUID.randomUUID().toString().replace("-", "");
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        container.setQueueNames(queue);
        container.setMessageListener((MessageListener) message -> {
            String current = Trace.traceId() + " " + Trace.rpcId();
            seen.add(current + " " + new String(message.getBody(), StandardCharsets.UTF_8) + " " + TestClient.fetch(billUrl));
        });
        container.start();
        try {
            RawHttp.Response queued = RawHttp.get(shop.port(), "/order",
                    "X-Trace-Id: " + traceId, "X-Rpc-Id: 0.5");
            assertEquals(200, queued.status(), queued.body());
            // served 0.5.1; the publish 0.5.2; consumed 0.5.2.1; the listener's call 0.5.2.2, served as 0.5.2.2.1
            assertEquals(traceId + " 0.5.2.1 order-1 0.5.2.2.1", seen.poll(10, TimeUnit.SECONDS));
        } finally {
            container.stop();
            shop.close();
        }
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("request.info").size() >= 2
                && r.inTrace(traceId).named("rabbitmq.consume").size() >= 1).inTrace(traceId);
        trace.named("rabbitmq.produce").single().hasRpcId("0.5.2").has("x_action", "amq.default")
                .has("x_module", "spring_rabbit_test_place_order");
        TraceRecord consume = trace.named("rabbitmq.consume").single().hasRpcId("0.5.2.1").has("x_action", queue)
                .has("x_host", Broker.HOST + ":" + Broker.PORT).has("x_response_len", "7").record();
        assertEquals(queue, consume.extra("routing_key"));
        trace.named("http.get").single().hasRpcId("0.5.2.2").has("x_action", billUrl);
        trace.named("request.info").where(r -> r.rpcId().equals("0.5.2.2.1")).single();
        trace.assertUniqueIds();
        assertEquals(Collections.emptyList(), List.copyOf(seen));
    }

    private void placeOrder(RabbitTemplate template) {
        template.convertAndSend("", queue, "order-1");
    }

    /**
     * Two methods publishing to two queues through the default exchange (as an application that
     * sends straight to its queues does): each publish is named after its own method.
     */
    @Test
    void publishesToTwoQueuesOfTheDefaultExchangeAreNamedAfterTheirMethods() throws Exception {
        String audit = "rpctrace-spring-audit-" + UUID.randomUUID();
        admin.queueDeclare(audit, false, false, true, null);
        RabbitTemplate template = new RabbitTemplate(factory);
        String traceId;
        try (io.rpctrace.Span s = Trace.enter(null, null)) {
            traceId = Trace.traceId();
            placeOrder(template);
            audit(template, audit);
        } finally {
            admin.queueDelete(audit);
        }
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("rabbitmq.produce").size() >= 2)
                .inTrace(traceId);
        trace.named("rabbitmq.produce").where(r -> r.rpcId().equals("0.2")).single()
                .has("x_module", "spring_rabbit_test_place_order");
        trace.named("rabbitmq.produce").where(r -> r.rpcId().equals("0.3")).single()
                .has("x_module", "spring_rabbit_test_audit");
    }

    private static void audit(RabbitTemplate template, String queue) {
        template.convertAndSend(queue, "audit-1");
    }

    /**
     * A listener that throws: the container wraps the exception in its
     * {@code ListenerExecutionFailedException} and rejects the message (here without requeue);
     * the record is {@code rabbitmq.consume.error} coded by the listener's own exception.
     */
    @Test
    void aSimpleContainerListenerThatThrowsIsAnError() throws Exception {
        listenerThrows(new SimpleMessageListenerContainer(factory));
    }

    /**
     * The same with the {@code DirectMessageListenerContainer}: it runs the listener inside the
     * client consumer's {@code handleDelivery} and handles the exception there, so the delivery
     * returns normally; the record is still the listener's failure.
     */
    @Test
    void aDirectContainerListenerThatThrowsIsAnError() throws Exception {
        listenerThrows(new DirectMessageListenerContainer(factory));
    }

    private void listenerThrows(AbstractMessageListenerContainer container) throws Exception {
        container.setQueueNames(queue);
        container.setDefaultRequeueRejected(false);
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        container.setMessageListener((MessageListener) message -> {
            seen.add(Trace.rpcId());
            throw new IllegalStateException("order rejected");
        });
        container.start();
        String traceId;
        try {
            RabbitTemplate template = new RabbitTemplate(factory);
            try (io.rpctrace.Span s = Trace.enter(null, null)) {
                traceId = Trace.traceId();
                template.convertAndSend("", queue, "order-2");
            }
            assertEquals("0.2.1", seen.poll(10, TimeUnit.SECONDS));
        } finally {
            container.stop();
        }
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("rabbitmq.consume.error").size() >= 1)
                .inTrace(traceId);
        TraceRecord failed = trace.named("rabbitmq.consume.error").single().hasRpcId("0.2.1")
                .has("x_code", "IllegalStateException").has("x_action", queue).record();
        assertTrue(String.valueOf(failed.string("x_msg")).contains("order rejected"), failed.toString());
        assertEquals(0, trace.named("rabbitmq.consume").size());
    }
}
