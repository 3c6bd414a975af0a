package io.rpctrace.it.memcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.Servers;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.spy.memcached.MemcachedClient;
import net.spy.memcached.internal.BulkFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * spymemcached's asynchronous API: each operation takes its id from the caller's scope when it
 * is issued, in call order, and its record is written when the operation completes — already
 * there when the future says it is done, whether or not anyone waits on it.
 */
class SpymemcachedAsyncTest {
    private static MemcachedClient client;
    private final String prefix = "rpct:async:" + System.nanoTime() + ":";

    @BeforeAll
    static void connect() throws Exception {
        Servers.require("memcached", MemcacheContract.HOST, MemcacheContract.PORT);
        client = new MemcachedClient(Collections.singletonList(
                new InetSocketAddress(MemcacheContract.HOST, MemcacheContract.PORT)));
    }

    @AfterAll
    static void close() {
        if (client != null) {
            client.shutdown(2, TimeUnit.SECONDS);
        }
    }

    @Test
    void futuresTakeTheCallersIdsInCallOrderAndEndWhenTheOperationCompletes() throws Exception {
        AgentRecords agent = AgentRecords.start();
        String traceId;
        Future<Boolean> set;
        Future<Object> get;
        BulkFuture<Map<String, Object>> bulk;
        try (Span req = Trace.enter(null, null)) {
            set = client.set(prefix + "a", 0, "1");                                   // 0.2
            get = client.asyncGet(prefix + "a");                                      // 0.3
            bulk = client.asyncGetBulk(prefix + "a", prefix + "b");                   // 0.4
            Future<Boolean> forgotten = client.delete(prefix + "never");             // 0.5, never waited on
            traceId = Trace.traceId();
        }
        assertTrue(set.get(2, TimeUnit.SECONDS));
        assertEquals("1", get.get(2, TimeUnit.SECONDS));
        assertEquals(Map.of(prefix + "a", "1"), bulk.get(2, TimeUnit.SECONDS));
        // the bulk get's record was written before its future completed: no waiting here
        Records calls = Records.of(agent.flush()).inTrace(traceId).named("memcache.request");
        calls.where(r -> "0.2".equals(r.rpcId())).single().has("x_action", "set " + prefix + "a").has("x_code", "0");
        calls.where(r -> "0.3".equals(r.rpcId())).single().has("x_action", "get " + prefix + "a").has("x_code", "0");
        calls.where(r -> "0.4".equals(r.rpcId())).single().has("x_code", "miss")
                .has("x_host", MemcacheContract.HOST + ":" + MemcacheContract.PORT);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (Records.of(agent.flush()).inTrace(traceId).named("memcache.request")
                .where(r -> "0.5".equals(r.rpcId())).size() == 0) {
            assertTrue(System.nanoTime() < deadline, "the delete nobody waited for was never recorded");
            Thread.sleep(20);
        }
        Records.of(agent.flush()).inTrace(traceId).named("memcache.request").where(r -> "0.5".equals(r.rpcId()))
                .single().has("x_action", "delete " + prefix + "never").has("x_code", "miss");
    }
}
