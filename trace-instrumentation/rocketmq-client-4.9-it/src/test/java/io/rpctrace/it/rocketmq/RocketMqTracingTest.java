package io.rpctrace.it.rocketmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.BatchListeners;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import io.rpctrace.testing.http.TestClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageRequestMode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * rocketmq.produce and rocketmq.consume against a real name server and broker (a child JVM),
 * with the packaged agent attached to this JVM.
 */
@ExtendWith(NoInstrumentationErrors.class)
class RocketMqTracingTest {
    static RocketMqServer server;
    static DefaultMQProducer producer;
    final List<DefaultMQPushConsumer> consumers = new ArrayList<>();
    AgentRecords agent;

    @BeforeAll
    static void start() throws Exception {
        server = RocketMqServer.shared();
        producer = Clients.producer(server.namesrv());
    }

    @AfterAll
    static void stop() {
        if (producer != null) {
            producer.shutdown();
        }
    }

    @BeforeEach
    void mark() {
        agent = AgentRecords.start();
    }

    @AfterEach
    void shutdown() {
        consumers.forEach(DefaultMQPushConsumer::shutdown);
    }

    /**
     * An HTTP request served by the shop (the JDK HttpServer, recorded by the agent) sends a
     * message; a push consumer's listener processes it and calls the shop over HTTP
     * (HttpURLConnection). All of it is recorded by the agent, in the caller's trace, with the
     * ids of docs/model.md#the-rules.
     */
    @Test
    void aServedRequestThatSendsAndAListenerThatCallsHttpShareOneTrace() throws Exception {
        String topic = server.topic("orders");
        HttpServer shop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        shop.createContext("/order", ex -> {
            try {
                SendResult r = producer.send(new Message(topic, "paid", "order-1".getBytes(StandardCharsets.UTF_8)));
                respond(ex, r.getSendStatus().name());
            } catch (Exception e) {
                throw new IOException(e);
            }
        });
        shop.createContext("/bill", ex -> respond(ex, Trace.rpcId()));
        shop.start();
        String billUrl = "http://127.0.0.1:" + shop.getAddress().getPort() + "/bill";
        String traceId = UUID.randomUUID().toString().replace("-", "");
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try {
            consumers.add(Clients.pushConsumer(server.namesrv(), topic, (MessageListenerConcurrently) (msgs, ctx) -> {
                MessageExt m = msgs.get(0);
                String current = Trace.traceId() + " " + Trace.rpcId();   // before the call: after it, its id
                String billed = TestClient.fetch(billUrl);
                seen.add(current + " " + m.getUserProperty("x_trace_id") + " " + m.getUserProperty("x_rpc_id") + " "
                        + billed);
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            }));
            RawHttp.Response queued = RawHttp.get(shop.getAddress().getPort(), "/order",
                    "X-Trace-Id: " + traceId, "X-Rpc-Id: 0.5");
            assertEquals(200, queued.status(), queued.body());
            assertEquals("SEND_OK", queued.body());
            // served 0.5.1; its send 0.5.2; consumed 0.5.2.1; the listener's HTTP call 0.5.2.2,
            // served by the shop as 0.5.2.2.1
            assertEquals(traceId + " 0.5.2.1 " + traceId + " 0.5.2 0.5.2.2.1", seen.poll(60, TimeUnit.SECONDS));
        } finally {
            shop.stop(0);
        }
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("rocketmq.consume").size() >= 1
                && r.inTrace(traceId).named("request.info").size() >= 2).inTrace(traceId);
        trace.named("request.info").where(r -> r.rpcId().equals("0.5.1")).single();
        TraceRecord sent = trace.named("rocketmq.produce").single().hasRpcId("0.5.2").has("x_action", topic)
                .has("x_host", server.broker()).has("x_response_len", "7").record();
        assertEquals("paid", sent.extra("tags"));
        assertEquals("broker-a", sent.extra("broker"));
        assertEquals("sync", sent.extra("mode"));
        assertNotNull(sent.extra("msg_id"));
        TraceRecord consumed = trace.named("rocketmq.consume").single().hasRpcId("0.5.2.1").has("x_action", topic)
                .has("x_host", server.broker()).record();
        assertEquals(sent.extra("msg_id"), consumed.extra("msg_id"));
        assertEquals("paid", consumed.extra("tags"));
        assertTrue(String.valueOf(consumed.extra("group")).startsWith("cg-"), consumed.toString());
        trace.named("http.get").single().hasRpcId("0.5.2.2");
        trace.named("request.info").where(r -> r.rpcId().equals("0.5.2.2.1")).single();
        trace.assertUniqueIds();
    }

    /** An asynchronous send ends when the broker's answer arrives; a one-way send when it returns. */
    @Test
    void asyncAndOnewaySendsAreCallsOfTheScope() throws Exception {
        String topic = server.topic("async");
        BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            producer.send(new Message(topic, "a", new byte[3]), new SendCallback() {
                @Override
                public void onSuccess(SendResult r) {
                    answers.add(r.getSendStatus().name());
                }

                @Override
                public void onException(Throwable e) {
                    answers.add(e.toString());
                }
            });
            assertEquals("SEND_OK", answers.poll(30, TimeUnit.SECONDS));
            producer.sendOneway(new Message(topic, "o", new byte[4]));
        }
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("rocketmq.produce").size() >= 2)
                .inTrace(traceId);
        // the async send is the caller's call, numbered in its scope although the producer's
        // executor sends it (docs/model.md#rule-4): the request's first call, 0.2; the one-way 0.3
        TraceRecord async = trace.named("rocketmq.produce").where(r -> "async".equals(r.extra("mode"))).single()
                .hasRpcId("0.2").has("x_host", server.broker()).has("x_response_len", "3").record();
        assertNotNull(async.extra("msg_id"));
        TraceRecord oneway = trace.named("rocketmq.produce").where(r -> "oneway".equals(r.extra("mode"))).single()
                .hasRpcId("0.3").has("x_host", server.broker()).record();
        assertEquals(null, oneway.extra("msg_id"));
        assertEquals(3, trace.size(), trace.toString());   // the request (0.1) and its two sends
        trace.assertUniqueIds().assertNoGaps();
    }

    /**
     * The application's SendCallback runs in the caller's scope (as OkHttp's callback does): a
     * call made in onSuccess is the caller's next (0.3), and the caller's next after it 0.4.
     */
    @Test
    void aCallMadeInTheSendCallbackIsNumberedInTheCallersScope() throws Exception {
        String topic = server.topic("async");
        BlockingQueue<String> inCallback = new LinkedBlockingQueue<>();
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            producer.send(new Message(topic, "first", new byte[1]), new SendCallback() {
                @Override
                public void onSuccess(SendResult r) {
                    try {
                        producer.sendOneway(new Message(topic, "from-callback", new byte[2]));
                        inCallback.add(Trace.traceId() + " " + Trace.rpcId());
                    } catch (Exception e) {
                        inCallback.add(e.toString());
                    }
                }

                @Override
                public void onException(Throwable e) {
                    inCallback.add(e.toString());
                }
            });
            assertEquals(traceId + " 0.3", inCallback.poll(30, TimeUnit.SECONDS));
            producer.sendOneway(new Message(topic, "after", new byte[3]));
        }
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("rocketmq.produce").size() >= 3)
                .inTrace(traceId);
        trace.named("rocketmq.produce").where(r -> "first".equals(r.extra("tags"))).single().hasRpcId("0.2");
        trace.named("rocketmq.produce").where(r -> "from-callback".equals(r.extra("tags"))).single().hasRpcId("0.3");
        trace.named("rocketmq.produce").where(r -> "after".equals(r.extra("tags"))).single().hasRpcId("0.4");
        assertEquals(4, trace.size(), trace.toString());
        trace.assertUniqueIds().assertNoGaps();
    }

    /**
     * An async send that fails in the producer's task (no route to the topic) is the caller's
     * call all the same, rocketmq.produce.error 0.2 coded 10005; the callback's onException runs
     * in the caller's scope, so its call is 0.3.
     */
    @Test
    void aFailedAsyncSendAndItsCallbackAreNumberedInTheCallersScope() throws Exception {
        String topic = server.topic("async");
        BlockingQueue<String> inCallback = new LinkedBlockingQueue<>();
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            producer.send(new Message("no-such-topic-" + UUID.randomUUID(), new byte[1]), new SendCallback() {
                @Override
                public void onSuccess(SendResult r) {
                    inCallback.add("sent?");
                }

                @Override
                public void onException(Throwable e) {
                    try {
                        producer.sendOneway(new Message(topic, "on-exception", new byte[2]));
                        inCallback.add(Trace.rpcId() + " " + ((MQClientException) e).getResponseCode());
                    } catch (Exception x) {
                        inCallback.add(x.toString());
                    }
                }
            });
            assertEquals("0.3 10005", inCallback.poll(30, TimeUnit.SECONDS));
        }
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("rocketmq.produce").size() >= 1
                && r.inTrace(traceId).named("rocketmq.produce.error").size() >= 1).inTrace(traceId);
        TraceRecord failed = trace.named("rocketmq.produce.error").single().hasRpcId("0.2").has("x_code", "10005")
                .record();
        assertEquals("async", failed.extra("mode"));
        assertEquals("on-exception", trace.named("rocketmq.produce").single().hasRpcId("0.3").record().extra("tags"));
        assertEquals(3, trace.size(), trace.toString());
        trace.assertUniqueIds().assertNoGaps();
    }

    /**
     * An async send whose time is spent before the producer's task runs (a timeout of 0 ms): the
     * library only tells the callback (RemotingTooMuchRequestException); the caller's call ends
     * then, rocketmq.produce.error 0.2 coded with that exception's name.
     */
    @Test
    void anAsyncSendWhoseTimeRanOutInTheQueueEndsItsCall() throws Exception {
        String topic = server.topic("async");
        BlockingQueue<String> inCallback = new LinkedBlockingQueue<>();
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            producer.send(new Message(topic, "late", new byte[1]), new SendCallback() {
                @Override
                public void onSuccess(SendResult r) {
                    inCallback.add("sent?");
                }

                @Override
                public void onException(Throwable e) {
                    inCallback.add(Trace.rpcId() + " " + e.getClass().getSimpleName());
                }
            }, 0);
            assertEquals("0.2 RemotingTooMuchRequestException", inCallback.poll(30, TimeUnit.SECONDS));
            producer.sendOneway(new Message(topic, "after", new byte[3]));
        }
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("rocketmq.produce").size() >= 1
                && r.inTrace(traceId).named("rocketmq.produce.error").size() >= 1).inTrace(traceId);
        TraceRecord late = trace.named("rocketmq.produce.error").single().hasRpcId("0.2")
                .has("x_code", "RemotingTooMuchRequestException").has("x_msg", "DEFAULT ASYNC send call timeout").record();
        assertEquals("async", late.extra("mode"));
        assertEquals("after", trace.named("rocketmq.produce").single().hasRpcId("0.3").record().extra("tags"));
        assertEquals(3, trace.size(), trace.toString());
        trace.assertUniqueIds().assertNoGaps();
    }

    /** A topic the name server has no route for: the send throws, and is rocketmq.produce.error coded 10005. */
    @Test
    void aSendToATopicWithoutRouteIsAnErrorCodedByTheClient() throws Exception {
        String traceId;
        MQClientException thrown;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            thrown = assertThrows(MQClientException.class,
                    () -> producer.send(new Message("no-such-topic-" + UUID.randomUUID(), new byte[1])));
        }
        assertEquals(10005, thrown.getResponseCode());
        TraceRecord failed = Records.of(agent.flush()).inTrace(traceId).named("rocketmq.produce.error").single()
                .hasRpcId("0.2").has("x_code", "10005").record();
        assertTrue(failed.string("x_msg").contains("No route info"), failed.string("x_msg"));
    }

    /**
     * A listener that answers RECONSUME_LATER: rocketmq.consume.error coded RECONSUME_LATER; the
     * broker redelivers the message (from the group's retry topic), which continues the same trace
     * at the same id with its reconsume count.
     */
    @Test
    void aRetriedMessageIsRecordedForEachDelivery() throws Exception {
        String topic = server.topic("retry");
        List<String> handled = new CopyOnWriteArrayList<>();
        BlockingQueue<String> done = new LinkedBlockingQueue<>();
        consumers.add(Clients.pushConsumer(server.namesrv(), topic, (MessageListenerConcurrently) (msgs, ctx) -> {
            MessageExt m = msgs.get(0);
            handled.add(Trace.rpcId() + " " + m.getTopic() + " " + m.getReconsumeTimes());
            if (m.getReconsumeTimes() == 0) {
                return ConsumeConcurrentlyStatus.RECONSUME_LATER;
            }
            done.add("ok");
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        }));
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            producer.send(new Message(topic, "r", new byte[1]));
        }
        assertEquals("ok", done.poll(60, TimeUnit.SECONDS), handled.toString());
        assertEquals(List.of("0.2.1 " + topic + " 0", "0.2.1 " + topic + " 1"), handled);
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("rocketmq.consume").size() >= 1)
                .inTrace(traceId);
        trace.named("rocketmq.produce").single().hasRpcId("0.2");
        TraceRecord first = trace.named("rocketmq.consume.error").single().hasRpcId("0.2.1")
                .has("x_code", "RECONSUME_LATER").has("x_action", topic)
                .has("x_msg", "listener asked to reconsume later").record();
        assertEquals(null, first.extra("reconsume_times"));
        TraceRecord second = trace.named("rocketmq.consume").single().hasRpcId("0.2.1").has("x_action", topic).record();
        assertEquals(1L, ((Number) second.extra("reconsume_times")).longValue());
        assertEquals(first.extra("msg_id"), second.extra("msg_id"), "the message's id stays across deliveries");
    }

    /** An orderly listener: the same scope per message; SUSPEND_CURRENT_QUEUE_A_MOMENT is the failure's code. */
    @Test
    void anOrderlyListenerRunsInTheMessagesScope() throws Exception {
        String topic = server.topic("orderly");
        List<String> handled = new CopyOnWriteArrayList<>();
        BlockingQueue<String> done = new LinkedBlockingQueue<>();
        consumers.add(Clients.pushConsumer(server.namesrv(), topic, (MessageListenerOrderly) (msgs, ctx) -> {
            try (Span call = Trace.call("inventory.reserve")) {
                handled.add(Trace.traceId() + " " + call.rpcId());
            }
            if (handled.size() == 1) {
                return ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT;
            }
            done.add("ok");
            return ConsumeOrderlyStatus.SUCCESS;
        }));
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            producer.send(new Message(topic, "o", new byte[2]));
        }
        assertEquals("ok", done.poll(60, TimeUnit.SECONDS), handled.toString());
        assertEquals(List.of(traceId + " 0.2.2", traceId + " 0.2.2"), handled);
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("rocketmq.consume").size() >= 1)
                .inTrace(traceId);
        trace.named("rocketmq.consume.error").single().hasRpcId("0.2.1")
                .has("x_code", "SUSPEND_CURRENT_QUEUE_A_MOMENT")
                .has("x_msg", "listener asked to suspend the queue a moment");
        TraceRecord ok = trace.named("rocketmq.consume").single().hasRpcId("0.2.1").record();
        assertEquals(1L, ((Number) ok.extra("reconsume_times")).longValue());
        assertEquals(2, trace.named("inventory.reserve").size());
    }

    /**
     * A concurrent listener that throws: the library catches the exception and asks for the
     * message again, so the record is rocketmq.consume.error coded RECONSUME_LATER, with the
     * listener's exception as x_msg and x_backtrace; the redelivery is recorded at the same id.
     */
    @Test
    void aConcurrentListenerThatThrowsIsAnErrorWithItsException() throws Exception {
        String topic = server.topic("throws");
        BlockingQueue<String> done = new LinkedBlockingQueue<>();
        consumers.add(Clients.pushConsumer(server.namesrv(), topic, (MessageListenerConcurrently) (msgs, ctx) -> {
            if (msgs.get(0).getReconsumeTimes() == 0) {
                throw new IllegalStateException("stock service down");
            }
            done.add("ok");
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        }));
        String traceId = sendOne(topic);
        assertEquals("ok", done.poll(60, TimeUnit.SECONDS));
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("rocketmq.consume").size() >= 1)
                .inTrace(traceId);
        TraceRecord failed = trace.named("rocketmq.consume.error").single().hasRpcId("0.2.1")
                .has("x_code", "RECONSUME_LATER").has("x_msg", "java.lang.IllegalStateException: stock service down")
                .record();
        assertTrue(failed.string("x_backtrace").contains("aConcurrentListenerThatThrowsIsAnErrorWithItsException"),
                failed.string("x_backtrace"));
        assertEquals(null, trace.named("rocketmq.consume").single().hasRpcId("0.2.1").record().string("x_msg"));
    }

    /** The same with an orderly listener: the library suspends the queue, the code says so, x_msg says why. */
    @Test
    void anOrderlyListenerThatThrowsIsAnErrorWithItsException() throws Exception {
        String topic = server.topic("orderly-throws");
        List<String> handled = new CopyOnWriteArrayList<>();
        BlockingQueue<String> done = new LinkedBlockingQueue<>();
        consumers.add(Clients.pushConsumer(server.namesrv(), topic, (MessageListenerOrderly) (msgs, ctx) -> {
            handled.add(Trace.rpcId());
            if (handled.size() == 1) {
                throw new IllegalArgumentException("bad order line");
            }
            done.add("ok");
            return ConsumeOrderlyStatus.SUCCESS;
        }));
        String traceId = sendOne(topic);
        assertEquals("ok", done.poll(60, TimeUnit.SECONDS));
        assertEquals(List.of("0.2.1", "0.2.1"), handled);
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("rocketmq.consume").size() >= 1)
                .inTrace(traceId);
        trace.named("rocketmq.consume.error").single().hasRpcId("0.2.1")
                .has("x_code", "SUSPEND_CURRENT_QUEUE_A_MOMENT")
                .has("x_msg", "java.lang.IllegalArgumentException: bad order line");
        assertEquals(null, trace.named("rocketmq.consume").single().hasRpcId("0.2.1").record().string("x_msg"));
    }

    /**
     * A listener handed three messages at once (consumeMessageBatchMaxSize 3), concurrent and
     * orderly: each message gets its rocketmq.consume record in its own trace (0.2.1 under its
     * send), and the listener runs in a scope of the batch's own (a new trace, as a request
     * without caller ids: current id 0.1, its calls 0.2, 0.3), named by each message's record as
     * batch_trace_id (docs/instrumentation/rocketmq.md, "Batches").
     */
    @Test
    void aBatchHandedWholeToAConcurrentListenerRunsInATraceOfItsOwn() throws Exception {
        batchOfThree(false);
    }

    @Test
    void aBatchHandedWholeToAnOrderlyListenerRunsInATraceOfItsOwn() throws Exception {
        batchOfThree(true);
    }

    private void batchOfThree(boolean orderly) throws Exception {
        String topic = server.topic(orderly ? "batch-orderly" : "batch");
        List<String> traces = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            traces.add(sendOne(topic));
        }
        BlockingQueue<String> calls = new LinkedBlockingQueue<>();
        consumers.add(Clients.pushConsumer(server.namesrv(), topic, orderly
                ? (MessageListenerOrderly) (msgs, ctx) -> {
                    calls.add(BatchListeners.process(msgs.size()));
                    return ConsumeOrderlyStatus.SUCCESS;
                }
                : (MessageListenerConcurrently) (msgs, ctx) -> {
                    calls.add(BatchListeners.process(msgs.size()));
                    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                }, 3));
        BatchListeners.assertRunsInATraceOfItsOwn(agent, "rocketmq.consume", topic, traces,
                calls.poll(60, TimeUnit.SECONDS));
    }

    /** Sends one message to {@code topic} in a new trace (its send is 0.2); returns the trace id. */
    private static String sendOne(String topic) throws Exception {
        try (Span req = Trace.enter(null, null)) {
            producer.send(new Message(topic, "t", new byte[1]));
            return req.traceId();
        }
    }

    /** Debug mode crosses the broker as the token bound to the trace, never the raw secret; the listener runs in debug mode. */
    @Test
    void debugModeCrossesTheBrokerWithTheBoundToken() throws Exception {
        String topic = server.topic("debug");
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        consumers.add(Clients.pushConsumer(server.namesrv(), topic, (MessageListenerConcurrently) (msgs, ctx) -> {
            MessageExt m = msgs.get(0);
            seen.add(Trace.isDebug() + " " + m.getUserProperty("x_debug") + " " + m.getUserProperty("x_debug_token"));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        }));
        Map<String, String> in = new HashMap<>();
        in.put("X-Debug", "1");
        in.put("X-Debug-Token", "s3cret");
        try (Span req = Trace.enter(in::get)) {
            assertTrue(req.debug());
            producer.send(new Message(topic, new byte[1]));
        }
        String got = seen.poll(60, TimeUnit.SECONDS);
        assertNotNull(got);
        String[] parts = got.split(" ");
        assertEquals("true", parts[0], "the listener runs in debug mode");
        assertEquals("1", parts[1]);
        assertFalse(parts[2].isEmpty() || parts[2].equals("null"));
        assertNotEquals("s3cret", parts[2]);
        assertFalse(parts[2].contains("s3cret"));
    }

    /**
     * A push consumer in pop mode (5.x: the broker assigns the group's queues as pop and keeps
     * the offsets): the listener runs in the message's scope, its own call is the message's
     * next id, and an answer asking for the message again is coded. The redelivery is not
     * awaited (pop mode's first retry comes after 10 s).
     */
    @Test
    void aPopModeListenerRunsInTheMessagesScope() throws Exception {
        String topic = server.topic("pop");
        String group = "cg-pop-" + UUID.randomUUID().toString().substring(0, 8);
        // what `mqadmin setConsumeMode -m POP` does: the broker answers this group's assignment in pop mode
        producer.getDefaultMQProducerImpl().getMqClientFactory().getMQClientAPIImpl()
                .setMessageRequestMode(server.broker(), topic, group, MessageRequestMode.POP, 0, 3000);
        List<String> handled = new CopyOnWriteArrayList<>();
        BlockingQueue<String> done = new LinkedBlockingQueue<>();
        DefaultMQPushConsumer pop = new DefaultMQPushConsumer(group);
        pop.setNamesrvAddr(server.namesrv());
        pop.setInstanceName("c-" + UUID.randomUUID());
        pop.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        pop.setClientRebalance(false);   // take the assignment (and its mode) from the broker
        pop.setConsumeThreadMin(1);
        pop.setConsumeThreadMax(1);
        pop.subscribe(topic, "*");
        pop.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            MessageExt m = msgs.get(0);
            try (Span call = Trace.call("inventory.reserve")) {
                handled.add(m.getTags() + " " + Trace.traceId() + " " + call.rpcId());
            }
            done.add(m.getTags());
            return "again".equals(m.getTags()) ? ConsumeConcurrentlyStatus.RECONSUME_LATER
                    : ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        pop.start();
        consumers.add(pop);
        String okTrace;
        String againTrace;
        try (Span req = Trace.enter(null, null)) {
            okTrace = req.traceId();
            producer.send(new Message(topic, "ok", new byte[3]));        // 0.2
        }
        try (Span req = Trace.enter(null, null)) {
            againTrace = req.traceId();
            producer.send(new Message(topic, "again", new byte[1]));     // 0.2
        }
        assertNotNull(done.poll(60, TimeUnit.SECONDS), handled.toString());
        assertNotNull(done.poll(60, TimeUnit.SECONDS), handled.toString());
        assertTrue(handled.contains("ok " + okTrace + " 0.2.2"), handled.toString());
        assertTrue(handled.contains("again " + againTrace + " 0.2.2"), handled.toString());
        Records all = AwaitRecords.until(agent, r -> r.inTrace(okTrace).named("rocketmq.consume").size() >= 1
                && r.inTrace(againTrace).named("rocketmq.consume.error").size() >= 1);
        TraceRecord ok = all.inTrace(okTrace).named("rocketmq.consume").single().hasRpcId("0.2.1")
                .has("x_action", topic).has("x_host", server.broker()).has("x_response_len", "3").record();
        assertEquals(group, ok.extra("group"));
        all.inTrace(okTrace).named("inventory.reserve").single().hasRpcId("0.2.2");
        all.inTrace(againTrace).named("rocketmq.consume.error").single().hasRpcId("0.2.1")
                .has("x_code", "RECONSUME_LATER").has("x_action", topic);
    }

    /** A lite pull consumer: each polled message gets its rocketmq.consume record in the message's trace. */
    @Test
    void aPolledMessageIsRecordedInItsTrace() throws Exception {
        String topic = server.topic("pull");
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, "p", new byte[5])).getSendStatus());
        }
        DefaultLitePullConsumer pull = new DefaultLitePullConsumer("lg-" + UUID.randomUUID().toString().substring(0, 8));
        pull.setNamesrvAddr(server.namesrv());
        pull.setInstanceName("l-" + UUID.randomUUID());
        pull.subscribe(topic, "*");
        pull.start();
        List<MessageExt> got = Collections.emptyList();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (got.isEmpty() && System.nanoTime() < end) {
                got = pull.poll(1000);
            }
        } finally {
            pull.shutdown();
        }
        assertEquals(1, got.size());
        assertEquals("", Trace.rpcId(), "the poller's scope is left as it was");
        Records trace = Records.of(agent.flush()).inTrace(traceId);
        trace.named("rocketmq.produce").single().hasRpcId("0.2");
        trace.named("rocketmq.consume").single().hasRpcId("0.2.1").has("x_action", topic)
                .has("x_host", server.broker()).has("x_response_len", "5");
    }

    private static void respond(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
