package io.rpctrace.examples.shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.examples.shop.Demo.Kind;
import io.rpctrace.examples.shop.Demo.Sent;
import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.RecordFiles;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.RpcIds;
import io.rpctrace.testing.Servers;
import io.rpctrace.testing.TraceRecord;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo end to end, as demo.sh runs it: the broker and the four services in JVMs of their
 * own with the packaged agent, the orders placed through the gateway, everything stopped;
 * then the records of every service, read from the files, must form the traces of docs/model.md#ids.
 */
class ShopDemoTest {
    private static final String GATEWAY = "shop-gateway-1.0";
    private static final String ORDERS = "shop-orders-1.0";
    private static final String INVENTORY = "shop-inventory-1.0";
    private static final String NOTIFIER = "shop-notifier-1.0";

    private static Demo demo;
    private static Demo.Result run;
    private static Records all;

    @BeforeAll
    static void runTheDemo() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("trace-agent.jar"))
                .collect(Collectors.joining(File.pathSeparator));
        demo = new Demo(Paths.get("target/shop-demo"), ChildJvm.agentJar(), classPath);
        run = demo.run();
        all = Records.of(new RecordFiles(run.records()).read());
    }

    @Test
    void everyOrderGotItsAnswerAndATraceId() {
        assertEquals(List.of(201, 201, 201), run.of(Kind.GOOD).stream().map(Sent::status).toList(), run.sent().toString());
        assertEquals(409, run.of(Kind.FAILING).get(0).status(), run.sent().toString());
        assertEquals(201, run.of(Kind.DEBUG).get(0).status(), run.sent().toString());
        assertEquals(5, run.sent().stream().map(Sent::traceId).filter(t -> t.matches("[0-9a-f]{32}")).distinct().count(),
                run.sent().toString());
    }

    @Test
    void aGoodOrderIsOneTraceThroughAllFourServicesWithTheIdsOfSpec1() {
        for (Sent order : run.of(Kind.GOOD)) {
            Records trace = all.inTrace(order.traceId());
            // gateway: served 0.1, calls orders over HTTP (JDK HttpClient) as A
            served(trace, GATEWAY).hasRpcId("0.1").has("x_code", "201");
            // every id is exact: the tasks the JDK HttpClient, gRPC/Netty, Kafka's producer and
            // Hikari hand to their own threads write nothing and take no id (docs/model.md#rule-4)
            String a = trace.named("http.post").where(by(GATEWAY)).single().has("x_code", "201").hasRpcId("0.2").rpcId();
            // orders: served A.1 (rule 1); its traced domain method place() is a local span M of A
            // (methods=Orders[place,price,previousOrders]), under which the rest of the order runs
            served(trace, ORDERS).hasRpcId(a + ".1").has("x_code", "201");
            String m = trace.named("method").where(by(ORDERS)).module("orders_Orders_place").single()
                    .has("x_action", "io.rpctrace.examples.shop.Orders.place(String,String,int)").hasRpcId(a + ".2").rpcId();
            // two lookups in parallel on an executor: two child scopes of M (rule 4), each running a
            // traced method (a local span) that makes one query (rule 2)
            List<TraceRecord> lookups = trace.named("h2.request").where(by(ORDERS))
                    .where(r -> r.string("x_action").startsWith("select")).list();
            assertEquals(2, lookups.size(), trace.toString());
            Set<String> taskScopes = lookups.stream().map(r -> RpcIds.parent(RpcIds.parent(r.rpcId())))
                    .collect(Collectors.toSet());
            assertEquals(Set.of(m + ".2", m + ".3"), taskScopes, "each lookup in its own child scope: " + lookups);
            for (TraceRecord q : lookups) {
                String method = RpcIds.parent(q.rpcId());
                assertTrue(method.endsWith(".2"), "the task's first span: " + q.line());
                assertEquals(m, RpcIds.parent(RpcIds.parent(method)), q.line());
                assertTrue(q.rpcId().endsWith(".2"), "first call of a child scope: " + q.line());
            }
            assertEquals(Set.of("orders_Orders_price", "orders_Orders_previousOrders"), lookups.stream()
                    .map(q -> trace.named("method").where(r -> r.rpcId().equals(RpcIds.parent(q.rpcId()))).single()
                            .record().string("x_module")).collect(Collectors.toSet()));
            // orders → inventory over gRPC as G; inventory serves G.1, asks memcached whether the
            // product is sold out as G.2 (when one answers: a miss) and queries as G.2, G.3 or G.3, G.4
            String g = trace.named("grpc.request").where(by(ORDERS)).single()
                    .has("x_action", "shop.Inventory/Reserve").has("x_code", "OK").hasRpcId(m + ".4").rpcId();
            served(trace, INVENTORY).hasRpcId(g + ".1").has("x_action", "shop.Inventory/Reserve");
            int firstQuery = 2;
            if (Servers.reachable("127.0.0.1", 11211)) {
                trace.named("memcache.request").where(by(INVENTORY)).single().hasRpcId(g + ".2")
                        .has("x_code", "miss").has("x_host", "127.0.0.1:11211");
                firstQuery = 3;
            }
            assertEquals(List.of(g + "." + firstQuery, g + "." + (firstQuery + 1)),
                    trace.named("h2.request").where(by(INVENTORY)).rpcIds());
            trace.named("log.info").where(by(INVENTORY)).module("inventory_reserve").single();
            // the manual span: a local child scope S of M; the insert inside it is S.2
            String s = trace.named("order.save").where(by(ORDERS)).single().has("x_module", "orders_save")
                    .hasRpcId(m + ".5").rpcId();
            trace.named("h2.request").where(r -> r.string("x_action").startsWith("insert")).single().hasRpcId(s + ".2");
            // Redis: the pool's first connection is a call of its own (redis.connect M.6, once per
            // process), then SETEX; the Kafka send is the next id
            int next = 6;
            if (Servers.reachable("127.0.0.1", 6379)) {
                if (trace.named("redis.connect").where(by(ORDERS)).size() > 0) {
                    trace.named("redis.connect").where(by(ORDERS)).single().hasRpcId(m + "." + next++);
                }
                trace.named("redis.request").where(by(ORDERS)).single().hasRpcId(m + "." + next++);
            }
            // orders → Kafka as K; the notifier consumes it as K.1 and calls the gateway as N; the gateway serves N.1
            String k = trace.named("kafka.produce").where(by(ORDERS)).single().has("x_action", Shop.ORDER_CREATED)
                    .hasRpcId(m + "." + next).rpcId();
            trace.named("kafka.consume").where(by(NOTIFIER)).single().hasRpcId(k + ".1").has("x_action", Shop.ORDER_CREATED);
            String n = trace.named("http.post").where(by(NOTIFIER)).single().has("x_code", "204").hasRpcId(k + ".2").rpcId();
            trace.named("request.info").where(by(GATEWAY)).where(r -> r.string("x_action").endsWith("/notifications"))
                    .single().hasRpcId(n + ".1");
            // Trace.info after the calls: the current id (rule 3), inside place()'s scope
            trace.named("log.info").where(by(ORDERS)).module("orders_api").single().hasRpcId(k);
            // the gateway's log after its one call carries that call's id: its HttpClient's own tasks took none
            trace.named("log.info").where(by(GATEWAY)).module("gateway_orders").single().hasRpcId("0.2");
            // rule 5: calls, spans and served requests never share an id; every record is in this tree
            trace.where(r -> !r.name().startsWith("log.")).assertUniqueIds();
            trace.assertNoGaps();
            assertEquals(Set.of(GATEWAY, ORDERS, INVENTORY, NOTIFIER),
                    trace.list().stream().map(r -> r.string("x_version")).collect(Collectors.toSet()));
            for (TraceRecord r : trace.list()) {
                assertTrue(RpcIds.depth(r.rpcId()) == 2 && by(GATEWAY).test(r) || RpcIds.isWithin(r.rpcId(), a), r.line());
            }
        }
    }

    @Test
    void theFailingOrderIsAnErrorAtEveryHopAndPublishesNothing() {
        Records trace = all.inTrace(run.of(Kind.FAILING).get(0).traceId());
        String g = trace.named("grpc.request.error").where(by(ORDERS)).single()
                .has("x_code", "FAILED_PRECONDITION").has("x_msg", "lamp is out of stock").rpcId();
        trace.named("request.info.error").where(by(INVENTORY)).single().hasRpcId(g + ".1")
                .has("x_code", "FAILED_PRECONDITION");
        String a = trace.named("http.post.error").where(by(GATEWAY)).single().has("x_code", "409").rpcId();
        // place() threw: its record is method.error, the exception's class as x_code
        String m = trace.named("method.error").where(by(ORDERS)).module("orders_Orders_place").single()
                .has("x_code", "io.rpctrace.examples.shop.Orders$Rejected").rpcId();
        assertEquals(a, RpcIds.parent(m));
        assertEquals(m, RpcIds.parent(g));
        served(trace, ORDERS).hasRpcId(a + ".1").has("x_code", "409");
        served(trace, GATEWAY).hasRpcId("0.1").has("x_code", "409");
        assertEquals(0, trace.named("kafka.produce").size() + trace.named("kafka.consume").size()
                + trace.named("order.save").size(), trace.toString());
    }

    @Test
    void theDebugOrderWorksLikeTheOthers() {
        Records trace = all.inTrace(run.of(Kind.DEBUG).get(0).traceId());
        served(trace, GATEWAY).hasRpcId("0.1").has("x_code", "201");
        for (String service : List.of(ORDERS, INVENTORY, NOTIFIER)) {
            assertFalse(trace.where(by(service)).list().isEmpty(), service + " in the debug trace:\n" + trace);
        }
    }

    @Test
    void theDebugOrderAloneHasTheServicesDebugLinesAsLogDebugRecords() {
        Records debug = all.inTrace(run.of(Kind.DEBUG).get(0).traceId()).named("log.debug");
        for (String service : List.of(GATEWAY, ORDERS, INVENTORY, NOTIFIER)) {
            assertFalse(debug.where(by(service)).list().isEmpty(), "log.debug of " + service + " in\n" + debug);
        }
        for (Sent other : run.sent()) {
            if (other.kind() != Kind.DEBUG) {
                assertEquals(0, all.inTrace(other.traceId()).named("log.debug").size(), other.toString());
            }
        }
        // the same lines reached the services' own log files, with the trace id in the MDC
        String orders = read(run.logs().resolve("orders.log"));
        assertTrue(orders.contains("DEBUG") && orders.contains("trace=" + run.of(Kind.DEBUG).get(0).traceId()), orders);
    }

    @Test
    void theOrdersCounterIsAMetricRecord() {
        long count = all.named("metric.counter").where(by(ORDERS)).module("orders_created").list().stream()
                .mapToLong(r -> ((Number) r.extra("count")).longValue()).sum();
        assertEquals(4, count, all.named("metric.counter").toString());
        assertFalse(all.named("metric.timer").where(by(GATEWAY)).list().isEmpty());
    }

    @Test
    void everythingStoppedAndThePortsAreFree() throws IOException {
        for (Map.Entry<String, Integer> port : run.ports().entrySet()) {
            try (ServerSocket s = new ServerSocket(port.getValue(), 1, InetAddress.getByName("127.0.0.1"))) {
                assertEquals(port.getValue(), s.getLocalPort());
            } catch (IOException e) {
                throw new AssertionError(port.getKey() + "'s port " + port.getValue() + " is still taken", e);
            }
        }
        assertFalse(Files.exists(run.dir().resolve("kafka")), "the broker's data is removed");
        assertTrue(read(run.logs().resolve("gateway.log")).contains("customer notified"));
    }

    @Test
    void theViewerDrawsTheTraceAsHtml() throws Exception {
        String trace = run.of(Kind.GOOD).get(0).traceId();
        Path html = run.dir().resolve("test-trace.html");
        assertEquals(0, demo.viewer(false, "trace", trace, run.records().toString(), "--html", html.toString(), "--quiet"));
        String page = read(html);
        assertTrue(page.contains(trace) && page.contains("shop.Inventory/Reserve") && page.contains("order.created"),
                "the page names the trace and its calls");
        assertNotEquals(0, demo.viewer(false, "trace", "0123456789abcdef0123456789abcdef", run.records().toString(),
                "--quiet"), "an unknown trace is not found");
    }

    private static Records.RecordAssert served(Records trace, String service) {
        return trace.named("request.info").where(by(service))
                .where(r -> !r.string("x_action").endsWith("/notifications")).single();
    }

    private static java.util.function.Predicate<TraceRecord> by(String version) {
        return r -> version.equals(r.string("x_version"));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
