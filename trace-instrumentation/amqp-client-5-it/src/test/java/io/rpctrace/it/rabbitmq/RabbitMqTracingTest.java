package io.rpctrace.it.rabbitmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AlreadyClosedException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import io.rpctrace.testing.http.TestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** rabbitmq.produce and rabbitmq.consume against the RabbitMQ server of this machine, with the packaged agent attached. */
@ExtendWith(NoInstrumentationErrors.class)
class RabbitMqTracingTest {
    private static final String BROKER = Broker.HOST + ":" + Broker.PORT;
    Connection connection;
    Channel publisher;
    AgentRecords agent;

    @BeforeEach
    void open() throws Exception {
        connection = Broker.connect();
        publisher = connection.createChannel();
        agent = AgentRecords.start();
    }

    @AfterEach
    void close() throws Exception {
        if (connection != null) {
            connection.close();
        }
    }

    /**
     * An HTTP request served by the shop (the JDK HttpServer, recorded by the agent) publishes a
     * message; a {@code DefaultConsumer} processes it and calls the shop over HTTP
     * (HttpURLConnection). All of it is recorded by the agent, in the caller's trace, with the
     * ids of docs/model.md#the-rules.
     */
    @Test
    void aServedRequestThatPublishesAndAConsumerThatCallsHttpShareOneTrace() throws Exception {
        String queue = Broker.queue(publisher);
        Shop shop = Shop.start(() -> placeOrder(queue));
        String billUrl = shop.billUrl();
        String traceId = UUID.randomUUID().toString().replace("-", "");
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        Channel consumerChannel = connection.createChannel();
        try {
            consumerChannel.basicConsume(queue, false, new DefaultConsumer(consumerChannel) {
                @Override
                public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body)
                        throws IOException {
                    Map<String, Object> h = props.getHeaders();
                    String current = Trace.traceId() + " " + Trace.rpcId();   // before the call: after it, its id
                    String billed = TestClient.fetch(billUrl);
                    getChannel().basicAck(envelope.getDeliveryTag(), false);
                    seen.add(current + " " + h.get("x-trace-id") + " " + h.get("x-rpc-id")
                            + " " + h.get("tenant") + " " + billed);
                }
            });
            RawHttp.Response queued = RawHttp.get(shop.port(), "/order",
                    "X-Trace-Id: " + traceId, "X-Rpc-Id: 0.5");
            assertEquals(200, queued.status(), queued.body());
            // served 0.5.1; its publish 0.5.2; consumed 0.5.2.1; the consumer's HTTP call 0.5.2.2,
            // served by the shop as 0.5.2.2.1
            assertEquals(traceId + " 0.5.2.1 " + traceId + " 0.5.2 acme 0.5.2.2.1", seen.poll(10, TimeUnit.SECONDS));
            assertEquals(Collections.emptyList(), List.copyOf(seen));
        } finally {
            shop.close();
        }
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("request.info").size() >= 2
                && r.inTrace(traceId).named("rabbitmq.consume").size() >= 1).inTrace(traceId);
        trace.named("request.info").where(r -> r.rpcId().equals("0.5.1")).single();
        TraceRecord produce = trace.named("rabbitmq.produce").single().hasRpcId("0.5.2").has("x_action", "amq.default")
                .has("x_host", BROKER).has("x_response_len", "7")
                .has("x_module", "rabbit_mq_tracing_test_place_order").record();
        assertEquals(queue, produce.extra("routing_key"));
        TraceRecord consume = trace.named("rabbitmq.consume").single().hasRpcId("0.5.2.1").has("x_action", queue)
                .has("x_host", BROKER).has("x_response_len", "7").record();
        assertEquals("amq.default", consume.extra("exchange"));
        assertEquals(queue, consume.extra("routing_key"));
        assertEquals(1, ((Number) consume.extra("delivery_tag")).intValue());
        trace.named("http.get").single().hasRpcId("0.5.2.2").has("x_action", billUrl);
        trace.named("request.info").where(r -> r.rpcId().equals("0.5.2.2.1")).single().has("x_action", billUrl);
        trace.assertUniqueIds();
    }

    /** The application's properties carry a header of its own, and are a shared object that must not change. */
    private static final AMQP.BasicProperties ORDER_PROPS = new AMQP.BasicProperties.Builder()
            .contentType("text/plain").headers(Collections.singletonMap("tenant", "acme")).build();

    private void placeOrder(String queue) throws IOException {
        publisher.basicPublish("", queue, ORDER_PROPS, "order-1".getBytes(StandardCharsets.UTF_8));
        assertEquals(Collections.singletonMap("tenant", "acme"), ORDER_PROPS.getHeaders());
    }

    /** A DeliverCallback (5.0's functional consumer) runs in the message's scope; its calls nest under it. */
    @Test
    void aDeliverCallbackRunsInTheMessagesScope() throws Exception {
        String queue = Broker.queue(publisher);
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        Channel consumerChannel = connection.createChannel();
        consumerChannel.basicConsume(queue, true, (tag, delivery) -> {
            try (Span call = Trace.call("inventory.reserve")) {
                seen.add(Trace.traceId() + " " + call.rpcId());
            }
        }, tag -> { });
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            publisher.basicPublish("", queue, null, new byte[] {1, 2});   // null properties
        }
        assertEquals(traceId + " 0.2.2", seen.poll(10, TimeUnit.SECONDS));
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("inventory.reserve").size() >= 1
                && r.inTrace(traceId).named("rabbitmq.consume").size() >= 1).inTrace(traceId);
        trace.named("request.info").single().hasRpcId("0.1");
        trace.named("rabbitmq.produce").single().hasRpcId("0.2").has("x_response_len", "2");
        trace.named("rabbitmq.consume").single().hasRpcId("0.2.1").has("x_action", queue);
        trace.named("inventory.reserve").single().hasRpcId("0.2.2");
        trace.assertUniqueIds();
    }

    /**
     * A consumer that publishes on (a pipeline of two queues, the second publish reusing the
     * consumed message's properties): the second hop continues the trace under the first
     * delivery, and keeps none of the first hop's ids.
     */
    @Test
    void aConsumerThatPublishesOnContinuesTheTrace() throws Exception {
        String first = Broker.queue(publisher);
        String second = Broker.queue(publisher);
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        Channel relay = connection.createChannel();
        relay.basicConsume(first, true, (tag, d) -> relay.basicPublish("", second, d.getProperties(), d.getBody()),
                tag -> { });
        Channel sink = connection.createChannel();
        sink.basicConsume(second, true, (tag, d) -> seen.add(Trace.traceId() + " " + Trace.rpcId() + " "
                + d.getProperties().getHeaders().get("x-rpc-id") + " "
                + new TreeSet<>(d.getProperties().getHeaders().keySet())), tag -> { });
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            publisher.basicPublish("", first, ORDER_PROPS, new byte[1]);
        }
        // the application's header and one set of ids: the first hop's were replaced, not added to
        assertEquals(traceId + " 0.2.2.1 0.2.2 [tenant, traceparent, x-rpc-id, x-trace-id]",
                seen.poll(10, TimeUnit.SECONDS));
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("rabbitmq.consume").size() >= 2)
                .inTrace(traceId);
        assertEquals(first, trace.named("rabbitmq.produce").where(r -> r.rpcId().equals("0.2")).single().record()
                .extra("routing_key"));
        trace.named("rabbitmq.consume").where(r -> r.rpcId().equals("0.2.1")).single().has("x_action", first);
        assertEquals(second, trace.named("rabbitmq.produce").where(r -> r.rpcId().equals("0.2.2")).single().record()
                .extra("routing_key"));
        trace.named("rabbitmq.consume").where(r -> r.rpcId().equals("0.2.2.1")).single().has("x_action", second);
        trace.assertUniqueIds();
    }

    /**
     * Threads publishing at once through an NIO connection, one channel between them, with one
     * properties object (and header map) shared by all: each message carries the ids of its own
     * publish, once, and the shared map is left as it was (the ids go into the table the client
     * writes on the publishing thread, AmqpCalls.deferHeaders).
     */
    @Test
    void concurrentPublishesSharingPropertiesOverNioEachCarryTheirOwnIds() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(Broker.HOST);
        f.setPort(Broker.PORT);
        f.setUsername("guest");
        f.setPassword("guest");
        f.useNio();
        Map<String, Object> shared = new HashMap<>();
        shared.put("tenant", "acme");
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().headers(shared).build();
        int threads = 4;
        int each = 50;
        try (Connection nio = f.newConnection("rpctrace-it-nio")) {
            Channel ch = nio.createChannel();
            String queue = Broker.queue(ch);
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            List<Thread> started = new java.util.ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Thread th = new Thread(() -> {
                    try {
                        for (int i = 0; i < each; i++) {
                            try (Span req = Trace.enter(null, null)) {
                                ch.basicPublish("", queue, props, req.traceId().getBytes(StandardCharsets.UTF_8));
                            }
                        }
                    } catch (Throwable e) {
                        errors.add(e);
                    }
                });
                th.start();
                started.add(th);
            }
            for (Thread th : started) {
                th.join();
            }
            assertEquals(List.of(), errors);
            for (int i = 0; i < threads * each; i++) {
                GetResponse got = Broker.get(ch, queue, false);
                ch.basicAck(got.getEnvelope().getDeliveryTag(), false);   // ends the message's scope
                Map<String, Object> h = got.getProps().getHeaders();
                assertEquals(new String(got.getBody(), StandardCharsets.UTF_8), String.valueOf(h.get("x-trace-id")));
                assertEquals("0.2", String.valueOf(h.get("x-rpc-id")));
                assertEquals("[tenant, traceparent, x-rpc-id, x-trace-id]", new TreeSet<>(h.keySet()).toString());
            }
            assertEquals(Collections.singletonMap("tenant", "acme"), shared);
        }
        assertEquals("", Trace.rpcId());
    }

    /**
     * Spring AMQP's observation (the application's own tracer) put its traceparent on a message:
     * the consumer receives it as written, beside this publish's ids. The same message published
     * again carries an earlier publish's ids: every header is the new publish's then
     * (docs/propagation.md#interop).
     */
    @Test
    void aTraceparentTheApplicationsTracerPutIsKeptAndAPublishedAgainOneReplaced() throws Exception {
        String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        String queue = Broker.queue(publisher);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .headers(Map.of("traceparent", own, "tenant", "acme")).build();
        try (Span req = Trace.enter(null, null)) {
            publisher.basicPublish("", queue, props, new byte[1]);
        }
        Channel ch = connection.createChannel();
        GetResponse got = Broker.get(ch, queue, false);
        ch.basicAck(got.getEnvelope().getDeliveryTag(), false);
        Map<String, Object> h = got.getProps().getHeaders();
        assertEquals(own, String.valueOf(h.get("traceparent")));
        assertEquals("0.2", String.valueOf(h.get("x-rpc-id")));
        assertEquals("[tenant, traceparent, x-rpc-id, x-trace-id]", new TreeSet<>(h.keySet()).toString());

        String again;
        try (Span req = Trace.enter(null, null)) {
            again = req.traceId();
            publisher.basicPublish("", queue, got.getProps(), new byte[1]);
        }
        GetResponse second = Broker.get(ch, queue, false);
        ch.basicAck(second.getEnvelope().getDeliveryTag(), false);
        Map<String, Object> h2 = second.getProps().getHeaders();
        assertEquals(io.rpctrace.context.Propagation.traceparent(again, "0.2"), String.valueOf(h2.get("traceparent")));
        assertEquals(again, String.valueOf(h2.get("x-trace-id")));
        ch.close();
    }

    /** basicGet outside any scope: the message's scope lasts until it is acknowledged. */
    @Test
    void aMessageTakenWithBasicGetIsProcessedInItsScopeUntilAcked() throws Exception {
        String queue = Broker.queue(publisher);
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            publisher.basicPublish("", queue, MessageProperties.PERSISTENT_TEXT_PLAIN,
                    "get-me".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("", Trace.rpcId());
        Channel worker = connection.createChannel();
        GetResponse got = Broker.get(worker, queue, false);
        assertEquals("get-me", new String(got.getBody(), StandardCharsets.UTF_8));
        assertEquals(traceId, Trace.traceId());
        assertEquals("0.2.1", Trace.rpcId());
        try (Span call = Trace.call("inventory.reserve")) {
            assertEquals("0.2.2", call.rpcId());
        }
        assertEquals(traceId, Trace.traceId());
        worker.basicAck(got.getEnvelope().getDeliveryTag(), false);
        assertEquals("", Trace.traceId(), "acknowledging ends the message's scope");
        Records trace = Records.of(agent.flush()).inTrace(traceId);
        trace.named("rabbitmq.produce").single().hasRpcId("0.2");
        trace.named("rabbitmq.consume").single().hasRpcId("0.2.1").has("x_action", queue).has("x_host", BROKER)
                .has("x_response_len", "6");
        trace.named("inventory.reserve").single().hasRpcId("0.2.2");
        trace.assertUniqueIds();
    }

    /** Debug mode crosses the queue as the token bound to the trace, never the raw secret, and the consumer verifies it. */
    @Test
    void debugModeCrossesTheQueueWithTheBoundToken() throws Exception {
        String queue = Broker.queue(publisher);
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        Channel consumerChannel = connection.createChannel();
        consumerChannel.basicConsume(queue, true, (tag, d) -> {
            Map<String, Object> h = d.getProperties().getHeaders();
            seen.add(Trace.isDebug() + " " + h.get("x-debug") + " " + h.get("x-debug-token"));
        }, tag -> { });
        Map<String, String> in = new HashMap<>();
        in.put("X-Debug", "1");
        in.put("X-Debug-Token", "s3cret");
        try (Span req = Trace.enter(in::get)) {
            assertTrue(req.debug());
            publisher.basicPublish("", queue, null, new byte[0]);
        }
        String[] got = seen.poll(10, TimeUnit.SECONDS).split(" ");
        assertEquals("true", got[0], "the consumer runs in debug mode");
        assertEquals("1", got[1]);
        assertFalse(got[2].isEmpty() || got[2].equals("null"));
        assertNotEquals("s3cret", got[2]);
        assertFalse(got[2].contains("s3cret"));
    }

    /** A channel the application closed: the publish throws, and is rabbitmq.produce.error coded by the exception. */
    @Test
    void aPublishOnAClosedChannelIsAnError() throws Exception {
        Channel ch = connection.createChannel();
        ch.close();
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            assertThrows(AlreadyClosedException.class, () -> ch.basicPublish("", "nowhere", null, new byte[1]));
        }
        Records.of(agent.flush()).inTrace(traceId).named("rabbitmq.produce.error").single().hasRpcId("0.2")
                .has("x_code", "AlreadyClosedException");
    }

    /**
     * A publish to a missing exchange: the broker answers by closing the channel (404), after
     * basicPublish returned. The next publish on that channel fails, coded with the broker's
     * reply code.
     */
    @Test
    void aPublishToAMissingExchangeClosesTheChannelAndTheNextPublishIsCoded404() throws Exception {
        Channel ch = connection.createChannel();
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            ch.basicPublish("no-such-exchange-" + UUID.randomUUID(), "k", null, new byte[1]);
            long end = System.nanoTime() + 5_000_000_000L;
            while (ch.isOpen() && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertFalse(ch.isOpen());
            AlreadyClosedException e = assertThrows(AlreadyClosedException.class,
                    () -> ch.basicPublish("amq.direct", "k", null, new byte[1]));
            assertTrue(e.getMessage().contains("404"), e.getMessage());
        }
        Records trace = Records.of(agent.flush()).inTrace(traceId);
        trace.named("rabbitmq.produce").single().hasRpcId("0.2");
        TraceRecord failed = trace.named("rabbitmq.produce.error").single().hasRpcId("0.3").has("x_code", "404")
                .has("x_action", "amq.direct").record();
        assertTrue(failed.string("x_msg").contains("NOT_FOUND"), failed.string("x_msg"));
    }

    /** A consumer that throws: rabbitmq.consume.error coded by its exception; the library's handling is unchanged. */
    @Test
    void aConsumerThatThrowsIsAnError() throws Exception {
        String queue = Broker.queue(publisher);
        List<String> handled = new CopyOnWriteArrayList<>();
        Channel consumerChannel = connection.createChannel();
        consumerChannel.basicConsume(queue, true, new DefaultConsumer(consumerChannel) {
            @Override
            public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
                handled.add(Trace.rpcId());
                throw new IllegalStateException("out of stock");
            }
        });
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            publisher.basicPublish("", queue, null, new byte[1]);
        }
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("rabbitmq.consume.error").size() >= 1)
                .inTrace(traceId);
        TraceRecord failed = trace.named("rabbitmq.consume.error").single().hasRpcId("0.2.1")
                .has("x_code", "IllegalStateException").has("x_action", queue).record();
        assertTrue(failed.string("x_msg").contains("out of stock"), failed.string("x_msg"));
        assertEquals(List.of("0.2.1"), handled);
    }
}
