package io.rpctrace.it.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import io.rpctrace.testing.http.TestClient;
import io.rpctrace.testing.kafka.KafkaBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kafka.produce and kafka.consume against a real broker, with the packaged agent attached. */
class KafkaTracingTest {
    static KafkaBroker broker;
    static KafkaProducer<String, String> producer;
    AgentRecords agent;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start();
        broker.createTopics(1, "orders", "iterator", "for-each", "by-partition", "by-topic", "break", "across", "bare", "again", "debug", "callback",
                "own-traceparent");
        producer = Clients.producer(broker, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void mark() {
        agent = AgentRecords.start();
    }

    /**
     * An HTTP request served by the shop (the JDK HttpServer, recorded by the agent) produces
     * a message; a consumer processes it, querying a database (JDBC) and calling the shop over
     * HTTP (HttpURLConnection). Everything is recorded by the agent's instrumentations, in the
     * caller's trace, with the ids of docs/model.md#the-rules.
     */
    @Test
    void aServedRequestThatProducesAndAConsumerThatCallsJdbcAndHttpShareOneTrace() throws Exception {
        AtomicReference<RecordMetadata> ack = new AtomicReference<>();
        HttpServer shop = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        shop.createContext("/order", ex -> {
            try {
                ack.set(producer.send(new ProducerRecord<>("orders", "k1", "order-1")).get());
            } catch (Exception e) {
                throw new IOException(e);
            }
            respond(ex, "queued");
        });
        shop.createContext("/bill", ex -> respond(ex, Trace.rpcId()));
        shop.start();
        String shopUrl = "http://127.0.0.1:" + shop.getAddress().getPort();
        String billUrl = shopUrl + "/bill";
        String traceId = UUID.randomUUID().toString().replace("-", "");
        List<String> seen = new ArrayList<>();
        List<String> headers = new ArrayList<>();
        List<String> billed = new ArrayList<>();
        try {
            // the caller: trace id and call id 0.5 in its headers
            RawHttp.Response queued = RawHttp.get(shop.getAddress().getPort(), "/order",
                    "X-Trace-Id: " + traceId, "X-Rpc-Id: 0.5");
            assertEquals(200, queued.status(), queued.body());
            try (KafkaConsumer<String, String> consumer = Clients.consumer(broker, "billing", "orders");
                 Connection db = DriverManager.getConnection("jdbc:h2:mem:billing")) {
                Clients.pollUntil(consumer, 1, records -> {
                    for (ConsumerRecord<String, String> r : records) {
                        seen.add(Trace.traceId() + " " + Trace.rpcId());
                        headers.add(Clients.header(r, "x-trace-id") + " " + Clients.header(r, "x-rpc-id"));
                        // work done while processing gets child ids: a JDBC query, then an HTTP call
                        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("select 1")) {
                            rs.next();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        billed.add(TestClient.fetch(billUrl));
                    }
                    assertEquals("", Trace.rpcId(), "no scope outlives the loop");
                });
            }
        } finally {
            shop.stop(0);
        }
        // served 0.5.1; its send 0.5.2; consumed 0.5.2.1; the consumer's query 0.5.2.2, its HTTP
        // call 0.5.2.3, served by the shop as 0.5.2.3.1
        assertEquals(List.of(traceId + " 0.5.2.1"), seen);
        assertEquals(List.of("[" + traceId + "] [0.5.2]"), headers);
        assertEquals(List.of("0.5.2.3.1"), billed);

        // the shop writes request.info after its response went out: wait for both
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("request.info").size() >= 2)
                .inTrace(traceId);
        trace.named("request.info").where(r -> r.rpcId().equals("0.5.1")).single().has("x_action", shopUrl + "/order");
        TraceRecord produce = trace.named("kafka.produce").single().hasRpcId("0.5.2").has("x_action", "orders")
                .has("x_host", broker.bootstrap()).has("x_response_len", "7").record();
        assertEquals(0, ((Number) produce.extra("partition")).intValue());
        assertEquals(ack.get().offset(), ((Number) produce.extra("offset")).longValue());
        TraceRecord consume = trace.named("kafka.consume").single().hasRpcId("0.5.2.1").has("x_action", "orders").record();
        assertEquals("billing", consume.extra("group"));
        assertEquals(ack.get().offset(), ((Number) consume.extra("offset")).longValue());
        assertEquals(0, ((Number) consume.extra("partition")).intValue());
        trace.named("h2.request").single().hasRpcId("0.5.2.2").has("x_action", "select 1").has("x_db", "billing");
        trace.named("http.get").single().hasRpcId("0.5.2.3").has("x_action", billUrl);
        trace.named("request.info").where(r -> r.rpcId().equals("0.5.2.3.1")).single().has("x_action", billUrl);
        trace.assertUniqueIds();
    }

    private static void respond(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Test
    void iterator() throws Exception {
        batch("iterator", (records, handle) -> {
            for (ConsumerRecord<String, String> r : records) {
                handle.accept(r);
            }
        });
    }

    @Test
    void forEach() throws Exception {
        batch("for-each", (records, handle) -> records.forEach(handle));
    }

    @Test
    void recordsOfEachPartition() throws Exception {
        batch("by-partition", (records, handle) -> {
            for (TopicPartition tp : records.partitions()) {
                for (ConsumerRecord<String, String> r : records.records(tp)) {
                    handle.accept(r);
                }
            }
        });
    }

    @Test
    void recordsOfATopic() throws Exception {
        batch("by-topic", (records, handle) -> {
            for (ConsumerRecord<String, String> r : records.records("by-topic")) {
                handle.accept(r);
            }
        });
    }

    /**
     * Three messages sent from three requests: each processed message runs in the scope of its
     * own trace (rule 1: the producer's call id + ".1"), and none leaks into the next message,
     * past the loop, or into the next poll.
     */
    private void batch(String topic, BiConsumer<ConsumerRecords<String, String>,
            Consumer<ConsumerRecord<String, String>>> loop) throws Exception {
        List<String> traces = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try (Span req = Trace.enter(null, null)) {
                traces.add(req.traceId());
                producer.send(new ProducerRecord<>(topic, "m" + i)).get();
            }
        }
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker, "g-" + topic, topic)) {
            Clients.pollUntil(consumer, 3, records -> {
                assertEquals("", Trace.rpcId(), "no scope right after poll");
                loop.accept(records, r -> {
                    assertEquals(Clients.header(r, "x-trace-id"), List.of(Trace.traceId()));
                    seen.add(Trace.traceId() + " " + Trace.rpcId());
                });
                assertEquals("", Trace.rpcId(), "no scope after the loop");
            });
            consumer.poll(Duration.ofMillis(50));
            assertEquals("", Trace.rpcId(), "no scope after the next poll");
        }
        List<String> expected = new ArrayList<>();
        for (String t : traces) {
            expected.add(t + " 0.2.1");
        }
        assertEquals(expected, seen);
        Records all = Records.of(agent.flush());
        for (String t : traces) {
            all.inTrace(t).named("kafka.consume").single().hasRpcId("0.2.1").has("x_action", topic);
        }
    }

    @Test
    void aLoopLeftEarlyLeavesNoScopeInTheNextPoll() throws Exception {
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            producer.send(new ProducerRecord<>("break", "a")).get();
            producer.send(new ProducerRecord<>("break", "b")).get();
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker, "g-break", "break")) {
            Clients.pollUntil(consumer, 1, records -> {
                Iterator<ConsumerRecord<String, String>> it = records.iterator();
                it.next();
                assertEquals(traceId, Trace.traceId());   // left in the middle of the batch
            });
            consumer.poll(Duration.ofMillis(50));
            assertEquals("", Trace.rpcId(), "the next poll ended the message's scope");
        }
        assertTrue(Records.of(agent.flush()).inTrace(traceId).named("kafka.consume").size() >= 1);
    }

    /**
     * An application that polls again (here: for a message sent meanwhile) before it has
     * iterated all of the previous poll's records: the rest of them are still processed in
     * their own traces (the thread's batch is not filled by the second poll).
     */
    @Test
    void recordsIteratedAcrossTheNextPollKeepTheirOwnIds() throws Exception {
        List<String> traces = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            try (Span req = Trace.enter(null, null)) {
                traces.add(req.traceId());
                producer.send(new ProducerRecord<>("across", "m" + i)).get();
            }
        }
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker, "g-across", "across")) {
            ConsumerRecords<String, String> first = pollSome(consumer);
            assertEquals(2, first.count(), "both messages in one poll");
            Iterator<ConsumerRecord<String, String>> it = first.iterator();
            it.next();
            assertEquals(traces.get(0), Trace.traceId());
            try (Span req = Trace.enter(null, null)) {
                producer.send(new ProducerRecord<>("across", "m2")).get();
            }
            ConsumerRecords<String, String> second = pollSome(consumer);
            assertEquals(1, second.count());
            ConsumerRecord<String, String> r = it.next();
            assertEquals("m1", r.value());
            assertEquals(traces.get(1), Trace.traceId(), "the first poll's second message, in its own trace");
            assertEquals("0.2.1", Trace.rpcId());
            assertFalse(it.hasNext());
        }
        Records.of(agent.flush()).inTrace(traces.get(1)).named("kafka.consume").single().hasRpcId("0.2.1");
    }

    private static ConsumerRecords<String, String> pollSome(KafkaConsumer<String, String> consumer) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
            if (!records.isEmpty()) {
                return records;
            }
        }
        throw new AssertionError("no message consumed in 30 s");
    }

    @Test
    void aMessageWithoutHeadersStartsANewTrace() throws Exception {
        try (KafkaProducer<String, String> bare = Clients.producer(broker,
                Map.of(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StrippingSerializer.class.getName()))) {
            bare.send(new ProducerRecord<>("bare", "x")).get();
        }
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker, "g-bare", "bare")) {
            Clients.pollUntil(consumer, 1, records -> records.forEach(r -> {
                assertEquals(List.of(), Clients.header(r, "x-trace-id"));
                seen.add(Trace.traceId() + " " + Trace.rpcId());
            }));
        }
        String[] ids = seen.get(0).split(" ");
        assertEquals(32, ids[0].length());
        assertEquals("0.1", ids[1]);
        Records.of(agent.flush()).inTrace(ids[0]).named("kafka.consume").single().hasRpcId("0.1");
    }

    /** A serializer that drops the ids: what a producer without rpctrace sends. */
    public static final class StrippingSerializer extends StringSerializer {
        @Override
        public byte[] serialize(String topic, Headers headers, String data) {
            headers.remove("x-trace-id");
            headers.remove("x-rpc-id");
            headers.remove("traceparent");
            return super.serialize(topic, headers, data);
        }
    }

    /**
     * docs/model.md#rule-4: a producer created and first used inside a request starts its I/O
     * thread, fetches metadata and hands work to its sender; none of that writes a record, so
     * none of it takes an id. The first send is the request's call 0.2, the HTTP call after it
     * 0.3, the second send 0.4: exact, consecutive ids.
     */
    @Test
    void aFirstSendFromAFreshProducerTakesTheNextIdAndLeavesNoGap() throws Exception {
        String traceId;
        String topic = "first-send";
        broker.createTopics(1, topic);
        HttpServer echo = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        echo.createContext("/ok", ex -> respond(ex, Trace.rpcId()));
        echo.start();
        String answered;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            try (KafkaProducer<String, String> fresh = Clients.producer(broker, Map.of())) {
                fresh.send(new ProducerRecord<>(topic, "k", "first")).get();                  // 0.2
                answered = TestClient.fetch("http://127.0.0.1:" + echo.getAddress().getPort() + "/ok"); // 0.3
                fresh.send(new ProducerRecord<>(topic, "k", "second")).get();                 // 0.4
            }
        } finally {
            echo.stop(0);
        }
        assertEquals("0.3.1", answered);
        List<String> rpcIds = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker, "g-first", topic)) {
            Clients.pollUntil(consumer, 2, records -> records.forEach(r -> rpcIds.addAll(Clients.header(r, "x-rpc-id"))));
        }
        assertEquals(List.of("0.2", "0.4"), rpcIds);
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).size() >= 7).inTrace(traceId);
        assertEquals(List.of("0.1", "0.2", "0.2.1", "0.3", "0.3.1", "0.4", "0.4.1"),
                trace.rpcIds(), trace.toString());
        trace.named("kafka.produce").where(r -> r.rpcId().equals("0.2")).single().has("x_action", topic);
        trace.named("kafka.produce").where(r -> r.rpcId().equals("0.4")).single().has("x_action", topic);
        trace.named("kafka.consume").where(r -> r.rpcId().equals("0.2.1")).single().has("x_action", topic);
        trace.named("kafka.consume").where(r -> r.rpcId().equals("0.4.1")).single().has("x_action", topic);
        trace.named("http.get").single().hasRpcId("0.3");
        trace.named("request.info").where(r -> r.rpcId().equals("0.3.1")).single();
        trace.assertUniqueIds().assertNoGaps();
    }

    /**
     * The application's callback still runs, once, with the broker's answer, when the agent hands
     * the producer its own callback (which writes kafka.produce first).
     */
    @Test
    void theApplicationsCallbackGetsTheAcknowledgementOfItsSend() throws Exception {
        List<RecordMetadata> acks = new java.util.concurrent.CopyOnWriteArrayList<>();
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            producer.send(new ProducerRecord<>("callback", "called"), (md, e) -> acks.add(md)).get();
        }
        assertEquals(1, acks.size());
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("kafka.produce").size() >= 1)
                .inTrace(traceId);
        TraceRecord produce = trace.named("kafka.produce").single().hasRpcId("0.2").has("x_action", "callback")
                .has("x_host", broker.bootstrap()).record();
        assertEquals(acks.get(0).offset(), ((Number) produce.extra("offset")).longValue());
    }

    @Test
    void aMessageSentTwiceCarriesTheIdsOfEachSend() throws Exception {
        ProducerRecord<String, String> message = new ProducerRecord<>("again", "twice");
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            producer.send(message).get();
            producer.send(message).get();   // its headers are read-only now
        }
        List<String> rpcIds = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker, "g-again", "again")) {
            Clients.pollUntil(consumer, 2, records -> records.forEach(r -> {
                assertEquals(List.of(traceId), Clients.header(r, "x-trace-id"));
                rpcIds.addAll(Clients.header(r, "x-rpc-id"));
            }));
        }
        assertEquals(List.of("0.2", "0.3"), rpcIds);
        assertEquals(List.of("0.2", "0.3"), Records.of(agent.flush()).inTrace(traceId).named("kafka.produce").rpcIds());
    }

    /**
     * Spring Kafka's observation (the application's own tracer) put its traceparent on a message:
     * the consumer receives it as written, once, beside the send's ids. A message built from a
     * consumed one carries that send's ids: every header is the new send's then
     * (docs/propagation.md#interop).
     */
    @Test
    void aTraceparentTheApplicationsTracerPutIsKeptAndACopiedOneReplaced() throws Exception {
        String own = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        ProducerRecord<String, String> message = new ProducerRecord<>("own-traceparent", "first");
        message.headers().add("traceparent", own.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String first;
        try (Span req = Trace.enter(null, null)) {
            first = req.traceId();
            producer.send(message).get();
        }
        List<ConsumerRecord<String, String>> got = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker, "g-own", "own-traceparent")) {
            Clients.pollUntil(consumer, 1, records -> records.forEach(got::add));
            assertEquals(List.of(own), Clients.header(got.get(0), "traceparent"));
            assertEquals(List.of(first), Clients.header(got.get(0), "x-trace-id"));
            assertEquals(List.of("0.2"), Clients.header(got.get(0), "x-rpc-id"));

            String second;
            try (Span req = Trace.enter(null, null)) {
                second = req.traceId();
                producer.send(new ProducerRecord<>("own-traceparent", null, "second", "copy", got.get(0).headers())).get();
            }
            got.clear();
            Clients.pollUntil(consumer, 1, records -> records.forEach(got::add));
            assertEquals(List.of(io.rpctrace.context.Propagation.traceparent(second, "0.2")),
                    Clients.header(got.get(0), "traceparent"));
            assertEquals(List.of(second), Clients.header(got.get(0), "x-trace-id"));
        }
    }

    @Test
    void debugModeTravelsWithTheMessageAsATraceBoundToken() throws Exception {
        try (Span req = Trace.enter(Map.of("X-Debug", "1", "X-Debug-Token", "s3cret")::get)) {
            assertTrue(Trace.isDebug());
            producer.send(new ProducerRecord<>("debug", "d")).get();
        }
        List<String> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = Clients.consumer(broker, "g-debug", "debug")) {
            Clients.pollUntil(consumer, 1, records -> records.forEach(r -> {
                assertEquals(List.of("1"), Clients.header(r, "x-debug"));
                assertNotEquals(List.of("s3cret"), Clients.header(r, "x-debug-token"));   // never the secret
                seen.add(String.valueOf(Trace.isDebug()));
            }));
        }
        assertEquals(List.of("true"), seen);
    }

    /**
     * docs/record.md: a send's {@code x_module} is the application method that made it, as for
     * every other client call (found once per topic, then cached), on the record of a failed
     * send too.
     */
    @Test
    void aSendNamesTheApplicationMethodThatMadeIt() throws Exception {
        broker.createTopics(1, "placed");
        String traceId;
        try (KafkaProducer<String, String> p = Clients.producer(broker, Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 500));
             Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            OrderService orders = new OrderService(p);
            orders.place("o-1");                                                   // 0.2
            orders.place("o-2");                                                   // 0.3, the cached module
            assertThrows(ExecutionException.class, () -> orders.placeOn("no-such-topic-2", "o-3"));  // 0.4
        }
        Records trace = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("kafka.produce").size() >= 2
                && r.inTrace(traceId).named("kafka.produce.error").size() >= 1).inTrace(traceId);
        assertEquals(List.of("0.2", "0.3"), trace.named("kafka.produce")
                .where(r -> "kafka_tracing_test_order_service_place".equals(r.string("x_module"))).rpcIds(),
                trace.toString());
        trace.named("kafka.produce.error").single().hasRpcId("0.4")
                .has("x_module", "kafka_tracing_test_order_service_place_on");
    }

    /** Application code that sends: the method x_module names. */
    static final class OrderService {
        private final KafkaProducer<String, String> producer;

        OrderService(KafkaProducer<String, String> producer) {
            this.producer = producer;
        }

        void place(String order) throws Exception {
            producer.send(new ProducerRecord<>("placed", order)).get();
        }

        void placeOn(String topic, String order) throws Exception {
            producer.send(new ProducerRecord<>(topic, order)).get();
        }
    }

    @Test
    void anUnknownTopicIsAProduceError() {
        String traceId;
        try (KafkaProducer<String, String> p = Clients.producer(broker, Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 500));
             Span req = Trace.enter(null, null)) {
            traceId = req.traceId();
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> p.send(new ProducerRecord<>("no-such-topic", "x")).get());
            assertNotEquals(null, e.getCause());
        }
        Records trace = Records.of(agent.flush()).inTrace(traceId);
        trace.named("kafka.produce.error").single().hasRpcId("0.2").has("x_action", "no-such-topic");
        assertEquals(0, trace.named("kafka.produce").size());
    }
}
