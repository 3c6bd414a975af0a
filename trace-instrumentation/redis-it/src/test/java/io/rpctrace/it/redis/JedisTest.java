package io.rpctrace.it.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.Servers;
import io.rpctrace.testing.TraceRecord;
import java.io.InputStream;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.Transaction;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;

/**
 * Jedis against the local Redis with the packaged agent (capture.param=true), run twice by
 * the build: on Jedis 5.2 and on Jedis 3.10. Only calls whose signatures are the same in
 * both are used, so one compiled test serves both.
 */
class JedisTest {
    private static final String HOST = "127.0.0.1";
    private static final int PORT = 6379;
    private static final String STRING_KEY = "rpct:string";

    private AgentRecords agent;

    @BeforeAll
    static void server() throws Exception {
        Servers.require("Redis", HOST, PORT);
        try (InputStream in = Jedis.class.getResourceAsStream("/META-INF/maven/redis.clients/jedis/pom.properties")) {
            Properties p = new Properties();
            p.load(in);
            assertEquals(System.getProperty("rpctrace.it.jedis.expected"),
                    p.getProperty("version"), "the Jedis on the class path");
        }
        try (Jedis j = new Jedis(HOST, PORT)) {
            j.set(STRING_KEY, "a string");
        }
    }

    @BeforeEach
    void start() {
        agent = AgentRecords.start();
    }

    private Records trace(String traceId) {
        return Records.of(agent.flush()).inTrace(traceId).assertUniqueIds();
    }

    private static List<String> actions(Records records) {
        return records.list().stream().sorted((a, b) -> io.rpctrace.testing.RpcIds.compare(a.rpcId(), b.rpcId()))
                .map(r -> r.string("x_action")).collect(Collectors.toList());
    }

    @Test
    void connectAndCommandsInsideARequestGetConsecutiveIds() {
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            try (Jedis jedis = new Jedis(HOST, PORT)) {
                jedis.connect();                                            // 0.2 (5.x: in the constructor)
                assertEquals("OK", jedis.set("rpct:k1", "v1"));             // 0.3
                assertEquals("v1", jedis.get("rpct:k1"));                   // 0.4
                assertEquals("OK", jedis.select(3));                        // 0.5
                assertEquals(null, jedis.get("rpct:k1"));                   // 0.6, in db 3
            }
            traceId = Trace.traceId();
        }
        Records all = trace(traceId);
        assertEquals(List.of("0.1", "0.2", "0.3", "0.4", "0.5", "0.6"), all.rpcIds().subList(0, 6), all.toString());
        all.named("redis.connect").single().hasRpcId("0.2").has("x_host", HOST + ":" + PORT).has("x_db", "0")
                .has("x_code", "0");
        Records requests = all.named("redis.request");
        assertEquals(List.of("SET rpct:k1", "GET rpct:k1", "SELECT 3", "GET rpct:k1"), actions(requests).subList(0, 4));
        TraceRecord set = requests.where(r -> "0.3".equals(r.rpcId())).single()
                .has("x_host", HOST + ":" + PORT).has("x_db", "0").has("x_code", "0").has("x_param", "[\"v1\"]")
                .has("x_module", "jedis_test_connect_and_commands_inside_a_request_get_consecutive_ids").record();
        assertNotNull(set.string("x_duration"));
        requests.where(r -> "0.4".equals(r.rpcId())).single().has("x_response_len", "2").has("x_response", "v1");
        assertEquals("OK", set.string("x_response"));   // capture.response=true in this module's agent args
        requests.where(r -> "0.6".equals(r.rpcId())).single().has("x_db", "3").has("x_response", "(nil)");
    }

    @Test
    void wrongTypeIsARequestErrorAndTheApplicationSeesIt() {
        String traceId;
        try (Span req = Trace.enter(null, null); Jedis jedis = new Jedis(HOST, PORT)) {
            JedisDataException e = assertThrows(JedisDataException.class, () -> jedis.hget(STRING_KEY, "field"));
            assertTrue(e.getMessage().startsWith("WRONGTYPE"), e.getMessage());
            traceId = Trace.traceId();
        }
        trace(traceId).named("redis.request.error").single().has("x_action", "HGET " + STRING_KEY)
                .has("x_code", "WRONGTYPE");
    }

    @Test
    void pipelineCommandsEachGetARecordInOrder() {
        String traceId;
        try (Span req = Trace.enter(null, null); Jedis jedis = new Jedis(HOST, PORT)) {
            jedis.ping();
            Pipeline p = jedis.pipelined();
            Response<String> set = p.set("rpct:p1", "a");
            Response<String> get = p.get("rpct:p1");
            Response<String> wrong = p.hget(STRING_KEY, "f");
            p.sync();
            assertEquals("OK", set.get());
            assertEquals("a", get.get());
            assertThrows(JedisDataException.class, wrong::get);
            traceId = Trace.traceId();
        }
        Records all = trace(traceId);
        Records calls = all.where(r -> r.name().startsWith("redis.request"));
        assertEquals(List.of("PING", "SET rpct:p1", "GET rpct:p1", "HGET " + STRING_KEY), actions(calls), all.toString());
        String ping = calls.named("redis.request").where(r -> "PING".equals(r.string("x_action"))).single().rpcId();
        int first = Integer.parseInt(ping.substring(2));
        assertEquals(List.of("0." + first, "0." + (first + 1), "0." + (first + 2), "0." + (first + 3)), calls.rpcIds());
        calls.named("redis.request.error").single().has("x_action", "HGET " + STRING_KEY).has("x_code", "WRONGTYPE");
    }

    @Test
    void transactionCommandsEachGetARecord() {
        String traceId;
        try (Span req = Trace.enter(null, null); Jedis jedis = new Jedis(HOST, PORT)) {
            jedis.ping();
            Transaction t = jedis.multi();
            Response<String> set = t.set("rpct:t1", "b");
            Response<String> get = t.get("rpct:t1");
            assertEquals(2, t.exec().size());
            assertEquals("OK", set.get());
            assertEquals("b", get.get());
            traceId = Trace.traceId();
        }
        Records calls = trace(traceId).named("redis.request");
        assertEquals(List.of("PING", "MULTI", "SET rpct:t1", "GET rpct:t1", "EXEC"), actions(calls), calls.toString());
    }

    @Test
    void closedPortIsAConnectError() {
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            assertThrows(JedisConnectionException.class, () -> {
                try (Jedis jedis = new Jedis(HOST, 1)) {
                    jedis.ping();
                }
            });
            traceId = Trace.traceId();
        }
        trace(traceId).named("redis.connect.error").single().hasRpcId("0.2").has("x_host", HOST + ":1");
    }

    @Test
    void pooledConnectionsRecordCommandsNotBorrows() {
        String traceId;
        try (JedisPool pool = new JedisPool(HOST, PORT)) {
            try (Jedis warm = pool.getResource()) {
                warm.ping();
            }
            agent = AgentRecords.start();
            try (Span req = Trace.enter(null, null)) {
                try (Jedis jedis = pool.getResource()) {
                    assertEquals("OK", jedis.set("rpct:pool", "c"));         // 0.2
                }
                try (Jedis jedis = pool.getResource()) {
                    assertEquals("c", jedis.get("rpct:pool"));               // 0.3
                }
                traceId = Trace.traceId();
            }
        }
        Records all = trace(traceId);
        assertEquals(List.of("0.1", "0.2", "0.3"), all.rpcIds(), all.toString());
        assertEquals(List.of("SET rpct:pool", "GET rpct:pool"), actions(all.named("redis.request")));
    }
}
