package io.rpctrace.it.webflux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.AwaitRecords;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.RawHttp;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 1,000 requests in flight together through the service's two event-loop threads
 * ({@code reactor.netty.ioWorkerCount=2}, the server's and WebClient's), each making two downstream
 * calls (Redis, then WebClient back to the service): every record is in its own request's trace
 * with its exact id, none is lost and none leaks into another trace.
 */
@ExtendWith(NoInstrumentationErrors.class)
class SharedEventLoopsTest {
    private static final int REQUESTS = 1000;
    /** Per request: request.info, redis.request, http.get, the served /users request.info and its log.info. */
    private static final int RECORDS_PER_REQUEST = 5;
    private static int port;

    @BeforeAll
    static void start() {
        port = RunningShop.port();
    }

    @Test
    void everyRecordBelongsToItsOwnRequestsTrace() throws Exception {
        AgentRecords agent = AgentRecords.start();
        // as many callers as WebClient's default pool serves without refusing acquisitions
        ExecutorService callers = Executors.newFixedThreadPool(32);
        try {
            List<Future<String>> bodies = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                String trace = "wf-c-" + i;
                bodies.add(callers.submit(() -> RawHttp.get(port, "/fan/" + trace, "X-Trace-Id: " + trace,
                        "X-Rpc-Id: 0.5").body()));
            }
            for (int i = 0; i < REQUESTS; i++) {
                assertEquals("fan user wf-c-" + i, bodies.get(i).get());
            }
        } finally {
            callers.shutdownNow();
        }
        List<String> loops = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.matches("reactor-http-(nio|epoll)-\\d+")).sorted().collect(Collectors.toList());
        assertEquals(2, loops.size(), loops.toString());

        List<TraceRecord> all = AwaitRecords.until(agent, rs -> rs.where(x -> x.traceId().startsWith("wf-c-")).size()
                >= REQUESTS * RECORDS_PER_REQUEST).where(x -> x.traceId().startsWith("wf-c-")).list();
        assertEquals(REQUESTS * RECORDS_PER_REQUEST, all.size(), "records of the 1,000 traces, none lost, none extra");
        Map<String, List<TraceRecord>> byTrace = all.stream().collect(Collectors.groupingBy(TraceRecord::traceId));
        assertEquals(REQUESTS, byTrace.size());
        for (int i = 0; i < REQUESTS; i++) {
            String trace = "wf-c-" + i;
            Records t = Records.of(byTrace.get(trace));
            t.where(x -> "0.5.1".equals(x.rpcId())).named("request.info").single().has("x_module", "GET /fan/{id}");
            t.named("redis.request").single().hasRpcId("0.5.2").has("x_action", "GET rpct:webflux-it:fan");
            t.named("http.get").single().hasRpcId("0.5.3").has("x_code", "200");
            t.where(x -> "0.5.3.1".equals(x.rpcId())).named("request.info").single()
                    .has("x_module", "GET /users/{id}").has("x_action", "http://127.0.0.1:" + port + "/users/" + trace);
            t.named("log.info").single().hasRpcId("0.5.3.1").has("x_msg", "user " + trace);
        }
    }
}
