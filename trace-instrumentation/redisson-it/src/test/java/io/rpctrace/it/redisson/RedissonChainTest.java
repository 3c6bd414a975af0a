package io.rpctrace.it.redisson;

import static io.rpctrace.it.redisson.ChainScenario.DEBUG_TRACE;
import static io.rpctrace.it.redisson.ChainScenario.HOST;
import static io.rpctrace.it.redisson.ChainScenario.PLAIN_TRACE;
import static io.rpctrace.it.redisson.ChainScenario.PORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.Servers;
import io.rpctrace.testing.TraceRecord;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.redisson.api.RedissonClient;

/**
 * An HTTP request served by the JDK {@code HttpServer} (module jdk-http-server) chaining into
 * Redisson's sync, async and reactive commands (ChainScenario), with the packaged agent
 * (agent args {@code debug.token=s3cret}, capture.param and capture.response off), against the
 * local Redis; and the same application in child JVMs with and without the agent (on the
 * run's Redisson: 3.52, or 3.17.7 in the floor run).
 * docs/instrumentation/redis.md#redisson.
 */
@ExtendWith(NoInstrumentationErrors.class)
class RedissonChainTest {
    private static final String MODULE = "chain_scenario_item_handler_handle";
    private static RedissonClient client;
    private final String key = "rpct:chain:" + System.nanoTime() + ":item";

    @BeforeAll
    static void connect() {
        Servers.require("Redis", HOST, PORT);
        client = ChainScenario.connect();
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }

    @Test
    void anHttpRequestChainsIntoItsCommandsAndADebugOneCapturesArgumentsAndReplies() throws Exception {
        HttpServer server = ChainScenario.serve(client);
        try {
            int port = server.getAddress().getPort();
            AgentRecords agent = AgentRecords.start();
            String wrongType = " threw org.redisson.client.RedisException";
            assertEquals("v1 v1 v1 null" + wrongType, ChainScenario.plain(port, key, "v1").body());
            assertEquals("v2 v2 v2 null" + wrongType, ChainScenario.debug(port, key, "v2").body());
            Records all = AwaitRecords.until(agent, r -> r.inTrace(DEBUG_TRACE).named("request.info").size() == 1
                    && r.inTrace(PLAIN_TRACE).named("request.info").size() == 1
                    && r.inTrace(DEBUG_TRACE).where(t -> t.name().startsWith("redis.")).size() == 7);

            Records p = all.inTrace(PLAIN_TRACE).assertUniqueIds();
            p.named("request.info").single().hasRpcId("0.3.1");
            List<TraceRecord> calls = RedissonTest.sorted(p.where(r -> r.name().startsWith("redis.request")));
            assertEquals(List.of("0.3.2", "0.3.3", "0.3.4", "0.3.5", "0.3.6", "0.3.7", "0.3.8"),
                    calls.stream().map(TraceRecord::rpcId).collect(Collectors.toList()), p.toString());
            assertEquals(List.of("SET " + key, "GET " + key, "GET " + key, "GET " + key, "GET " + key + ":missing",
                    "HSET " + key + ":h", "GET " + key + ":h"),
                    calls.stream().map(r -> r.string("x_action")).collect(Collectors.toList()));
            for (TraceRecord r : calls) {
                assertEquals(HOST + ":" + PORT, r.string("x_host"), r.line());
                assertEquals(MODULE, r.string("x_module"), r.line());
                assertNull(r.string("x_param"), "capture.param is off and the trace is not a debug one: " + r.line());
                assertNull(r.string("x_response"), "capture.response is off and the trace is not a debug one: " + r.line());
            }
            for (TraceRecord r : calls.subList(0, 6)) {
                assertEquals("redis.request", r.name(), r.line());
                assertEquals("0", r.string("x_code"), r.line());
            }
            assertEquals("redis.request.error", calls.get(6).name(), calls.get(6).line());
            assertEquals("WRONGTYPE", calls.get(6).string("x_code"), calls.get(6).line());

            Records d = all.inTrace(DEBUG_TRACE).assertUniqueIds();
            d.named("request.info").single().hasRpcId("0.5.1");
            List<TraceRecord> debug = RedissonTest.sorted(d.where(r -> r.name().startsWith("redis.request")));
            assertEquals(List.of("0.5.2", "0.5.3", "0.5.4", "0.5.5", "0.5.6", "0.5.7", "0.5.8"),
                    debug.stream().map(TraceRecord::rpcId).collect(Collectors.toList()), d.toString());
            // x_param: the arguments after the key; x_response: the value Redisson hands the
            // application (SET's is void: "(nil)"; a missing key's null: "(nil)")
            assertEquals("[\"v2\"]", debug.get(0).string("x_param"), debug.get(0).line());
            assertEquals("(nil)", debug.get(0).string("x_response"), debug.get(0).line());
            for (TraceRecord r : debug.subList(1, 4)) {
                assertEquals("v2", r.string("x_response"), r.line());
                assertNull(r.string("x_param"), "GET has no argument after its key: " + r.line());
            }
            assertEquals("(nil)", debug.get(4).string("x_response"), debug.get(4).line());
            assertEquals("[\"f\",\"v\"]", debug.get(5).string("x_param"), debug.get(5).line());
            assertEquals("redis.request.error", debug.get(6).name(), debug.get(6).line());
            assertNull(debug.get(6).string("x_response"), debug.get(6).line());
            for (TraceRecord r : all.list()) {
                assertFalse(r.line().contains(ChainScenario.DEBUG_TOKEN), "the raw debug secret in a record: " + r.line());
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theApplicationAnswersTheSameWithAndWithoutTheAgent() {
        ChildJvm.Result with = ChildJvm.withAgent().agentArgs("debug.token=" + ChainScenario.DEBUG_TOKEN)
                .main(ChainScenario.class).run().assertExitCode(0);
        ChildJvm.Result without = ChildJvm.withoutAgent().main(ChainScenario.class).run().assertExitCode(0);
        String version = System.getProperty("rpctrace.it.redisson.expected");
        for (ChildJvm.Result r : List.of(with, without)) {
            assertTrue(r.lines("REDISSON ").get(0).endsWith("/redisson-" + version + ".jar"), r.stdout());
        }
        List<String> saw = with.lines("SAW ");
        assertEquals(List.of("plain 200 v1 v1 v1 null threw org.redisson.client.RedisException",
                "debug 200 v2 v2 v2 null threw org.redisson.client.RedisException"), saw, with.stdout() + with.stderr());
        assertEquals(without.lines("SAW "), saw, without.stdout() + without.stderr());
        Records plain = Records.of(with.records()).inTrace(PLAIN_TRACE).assertUniqueIds();
        plain.named("request.info").single().hasRpcId("0.3.1");
        assertEquals(7, plain.where(r -> r.name().startsWith("redis.request")).size(), plain.toString());
    }
}
