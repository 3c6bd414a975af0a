package io.rpctrace.it.memcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.RpcIds;
import io.rpctrace.testing.Servers;
import io.rpctrace.testing.TraceRecord;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scenarios every memcached client passes with the packaged agent (agent args
 * {@code debug.token=s3cret}), against the local memcached on 127.0.0.1:11211.
 * docs/instrumentation/memcache.md.
 */
abstract class MemcacheContract {
    static final String HOST = "127.0.0.1";
    static final int PORT = 11211;

    private final String prefix = "rpct:" + getClass().getSimpleName() + ":" + System.nanoTime() + ":";
    private AgentRecords agent;

    /** {@code spymemcached} or {@code xmemcached}: the client under test. */
    abstract String kind();

    @BeforeEach
    void start() throws Exception {
        Servers.require("memcached", HOST, PORT);
        agent = AgentRecords.start();
    }

    @AfterEach
    void noAdviceErrors() {
        assertEquals(0, AgentRecords.internalErrors(), "errors caught in the agent's advice");
    }

    private MemcacheClient client() throws Exception {
        return MemcacheClient.open(kind(), HOST, PORT, 2000);
    }

    private static List<String> actions(Records records) {
        return sorted(records).stream().map(r -> r.string("x_action")).collect(Collectors.toList());
    }

    private static List<TraceRecord> sorted(Records records) {
        return records.list().stream().sorted((a, b) -> RpcIds.compare(a.rpcId(), b.rpcId())).collect(Collectors.toList());
    }

    @Test
    void theLibraryUnderTestIsTheExpectedVersion() throws Exception {
        try (MemcacheClient c = client()) {
            String expected = System.getProperty("rpctrace.it." + kind() + ".expected");
            assertTrue(c.jar().endsWith(kind() + "-" + expected + ".jar"), c.jar() + " is not " + expected);
        }
    }

    @Test
    void connectAndCommandsInsideARequestGetConsecutiveIdsHitsAndMisses() throws Exception {
        String k1 = prefix + "k1";
        String k2 = prefix + "k2";
        String missing = prefix + "missing";
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            try (MemcacheClient c = client()) {                                     // 0.2 connect
                c.set(k1, "v1");                                                     // 0.3
                assertEquals("v1", c.get(k1));                                       // 0.4 hit
                assertNull(c.get(missing));                                          // 0.5 miss
                assertTrue(c.delete(k1));                                            // 0.6
                assertFalse(c.delete(k1));                                           // 0.7 miss
                c.set(k2, "v22");                                                    // 0.8
                assertEquals(Map.of(k2, "v22"), c.getMulti(Arrays.asList(k2, missing)));   // 0.9
            }
            traceId = Trace.traceId();
        }
        Records all = Records.of(agent.flush()).inTrace(traceId).assertUniqueIds();
        assertEquals(List.of("0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"),
                sorted(all).stream().map(TraceRecord::rpcId).collect(Collectors.toList()), all.toString());
        all.named("memcache.connect").single().hasRpcId("0.2").has("x_host", HOST + ":" + PORT).has("x_code", "0");
        Records requests = all.named("memcache.request");
        List<String> actions = actions(requests);
        assertEquals(List.of("set " + k1, "get " + k1, "get " + missing, "delete " + k1, "delete " + k1,
                "set " + k2), actions.subList(0, 6), requests.toString());
        // a multi-get lists its keys in the order the client sends them (spymemcached 2.12.0: a hash set's)
        assertTrue(actions.get(6).equals("get " + k2 + " " + missing) || actions.get(6).equals("get " + missing + " " + k2),
                actions.get(6));
        // the application method: the test's client adapter (SpyClient.set, XClient.set)
        String module = (kind().equals("spymemcached") ? "spy_client" : "x_client") + "_set";
        requests.where(r -> "0.3".equals(r.rpcId())).single().has("x_host", HOST + ":" + PORT).has("x_code", "0")
                .has("x_module", module);
        requests.where(r -> "0.4".equals(r.rpcId())).single().has("x_code", "0");
        requests.where(r -> "0.5".equals(r.rpcId())).single().has("x_code", "miss");
        requests.where(r -> "0.6".equals(r.rpcId())).single().has("x_code", "0");
        requests.where(r -> "0.7".equals(r.rpcId())).single().has("x_code", "miss");
        TraceRecord multi = requests.where(r -> "0.9".equals(r.rpcId())).single().has("x_code", "miss")
                .has("x_host", HOST + ":" + PORT).record();
        assertEquals(2L, ((Number) multi.extra("keys")).longValue(), multi.toString());
        assertEquals(1L, ((Number) multi.extra("hits")).longValue(), multi.toString());
        assertNull(multi.string("x_response"), "capture.response is off and the trace is not a debug one");
    }

    @Test
    void secretLookingKeysAreMasked() throws Exception {
        String traceId;
        try (MemcacheClient c = client(); Span req = Trace.enter(null, null)) {
            assertNull(c.get("session:9f8e7d6c5b4a"));
            traceId = Trace.traceId();
        }
        Records.of(agent.flush()).inTrace(traceId).named("memcache.request").single().hasRpcId("0.2")
                .has("x_action", "get session:***").has("x_code", "miss");
    }

    @Test
    void anHttpRequestChainsIntoItsCacheCallsAndADebugOneCapturesValues() throws Exception {
        String key = prefix + "item";
        HttpServer server = HttpServer.create(new InetSocketAddress(HOST, 0), 0);
        try (MemcacheClient c = client()) {
            c.set(key, "cached-value");
            server.createContext("/item", ex -> {
                String v;
                try {
                    v = c.get(key);                                 // .2
                    c.set(key + ":seen", "1");                      // .3
                } catch (Exception e) {
                    v = e.toString();
                }
                byte[] body = String.valueOf(v).getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                ex.getResponseBody().write(body);
                ex.close();
            });
            server.start();
            int port = server.getAddress().getPort();
            agent = AgentRecords.start();
            String plain = "0123456789abcdef0123456789abcd01";
            String debug = "0123456789abcdef0123456789abcd02";
            assertEquals("cached-value", RawHttp.get(port, "/item", "X-Trace-Id: " + plain, "X-Rpc-Id: 0.3").body());
            assertEquals("cached-value", RawHttp.get(port, "/item", "X-Trace-Id: " + debug, "X-Rpc-Id: 0.5",
                    "X-Debug: 1", "X-Debug-Token: s3cret").body());
            Records all = AwaitRecords.until(agent, r -> r.inTrace(debug).named("request.info").size() == 1
                    && r.inTrace(plain).named("request.info").size() == 1);
            Records p = all.inTrace(plain).assertUniqueIds();
            p.named("request.info").single().hasRpcId("0.3.1");
            p.named("memcache.request").where(r -> "0.3.2".equals(r.rpcId())).single()
                    .has("x_action", "get " + key).has("x_code", "0").has("x_response_len", "12");
            p.named("memcache.request").where(r -> "0.3.3".equals(r.rpcId())).single()
                    .has("x_action", "set " + key + ":seen");
            assertNull(p.named("memcache.request").where(r -> "0.3.2".equals(r.rpcId())).single().record()
                    .string("x_response"));
            Records d = all.inTrace(debug).assertUniqueIds();
            d.named("request.info").single().hasRpcId("0.5.1");
            d.named("memcache.request").where(r -> "0.5.2".equals(r.rpcId())).single()
                    .has("x_action", "get " + key).has("x_response", "cached-value");
            for (TraceRecord r : all.list()) {
                assertFalse(r.line().contains("s3cret"), "the raw debug secret in a record: " + r.line());
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aClosedPortIsAConnectError() throws Exception {
        int closed = FaultScenario.freePort();
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            try (MemcacheClient c = MemcacheClient.open(kind(), HOST, closed, 300)) {
                traceId = Trace.traceId();
            }
        }
        Records all = AwaitRecords.until(agent, r -> r.inTrace(traceId).named("memcache.connect.error").size() == 1);
        all.inTrace(traceId).named("memcache.connect.error").single().hasRpcId("0.2")
                .has("x_host", HOST + ":" + closed).has("x_code", "connect_failed");
    }
}
