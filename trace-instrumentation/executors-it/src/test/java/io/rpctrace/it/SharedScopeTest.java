package io.rpctrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The test class path has its own trace-core (as an application using the manual API has):
 * it shares the agent's scope, so manual calls and instrumented hand-overs interleave in one
 * trace with the ids of docs/model.md#ids.
 */
class SharedScopeTest {
    @Test
    void theApplicationsTraceCoreIsTheAgentsOne() {
        assertNull(Trace.class.getClassLoader(), "io.rpctrace.Trace must come from the bootstrap class path");
    }

    @Test
    void traceWrapUnderTheAgentRunsInItsOwnChild() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Span req = Trace.enter(null, null)) {
            // Trace.wrap's child is the inner scope and takes 0.2 when the task reads its id; the
            // agent's association of the FutureTask is never used, so it takes no number: no gap
            assertEquals("0.2.1", pool.submit(Trace.wrap(Trace::rpcId)).get());
            assertEquals("0.3.1", pool.submit(Trace::rpcId).get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void manualCallsAndExecutorTasksInterleave() throws Exception {
        AgentRecords agent = AgentRecords.start();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        String trace;
        // a caller id counts only with a usable trace id (docs/model.md#ids, trace-core's Scope.enter)
        try (Span req = Trace.enter("4bf92f3577b34da6a3ce929d0e0e4736", "0.3")) {   // caller's id 0.3 → 0.3.1
            trace = Trace.traceId();
            try (Span q = Trace.call("mysql.request")) {                   // 0.3.2
                q.action("select 1");
            }
            pool.submit(() -> {                                            // child 0.3.3
                try (Span q = Trace.call("redis.request")) {              // 0.3.3.2
                    q.action("GET k");
                }
            }).get();
            try (Span h = Trace.call("http.post")) {                       // 0.3.4
                h.action("http://b/x");
            }
        } finally {
            pool.shutdown();
        }
        Records r = Records.of(agent.flush()).inTrace(trace);
        r.named("request.info").single().hasRpcId("0.3.1");
        r.named("mysql.request").single().hasRpcId("0.3.2");
        r.named("redis.request").single().hasRpcId("0.3.3.2");
        r.named("http.post").single().hasRpcId("0.3.4");
        assertEquals(4, r.size());
    }
}
