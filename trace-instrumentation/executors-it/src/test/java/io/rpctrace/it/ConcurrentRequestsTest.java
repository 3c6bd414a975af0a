package io.rpctrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.RpcIds;
import io.rpctrace.testing.TraceRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** 1,000 concurrent requests, each doing parallel work: traces never mix, ids never collide. */
class ConcurrentRequestsTest {
    private static final int REQUESTS = 1000;

    @Test
    void idsNeverCollide() throws Exception {
        AgentRecords agent = AgentRecords.start();
        ExecutorService server = Executors.newFixedThreadPool(32);
        ExecutorService workers = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> requests = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                requests.add(server.submit(() -> {
                    try (Span req = Trace.enter(null, null).action("/concurrent")) {
                        List<Future<?>> parts = new ArrayList<>();
                        for (int t = 0; t < 3; t++) {
                            parts.add(workers.submit(() -> call("worker")));
                        }
                        parts.add(CompletableFuture.runAsync(() -> call("cf"), workers));
                        IntStream.range(0, 4).parallel().forEach(x -> call("parallel"));
                        call("inline");
                        for (Future<?> f : parts) {
                            f.get();
                        }
                        return Trace.traceId();
                    }
                }));
            }
            for (Future<String> f : requests) {
                f.get();
            }
        } finally {
            server.shutdown();
            workers.shutdown();
        }
        Records all = Records.of(agent.flush()).where(r -> r.name().equals("request.info")
                || r.name().equals("mysql.request"));
        Map<String, List<TraceRecord>> byTrace = all.list().stream()
                .collect(Collectors.groupingBy(TraceRecord::traceId));
        assertEquals(REQUESTS, byTrace.size());
        all.assertUniqueIds();
        for (List<TraceRecord> trace : byTrace.values()) {
            Records t = Records.of(trace);
            t.named("request.info").single().hasRpcId("0.1");
            assertEquals(9, t.named("mysql.request").size(), t.toString());
            for (String id : t.named("mysql.request").rpcIds()) {
                assertTrue(RpcIds.depth(id) == 2 || RpcIds.depth(id) >= 3, id);
            }
        }
    }

    private static void call(String module) {
        try (Span c = Trace.call("mysql.request").module(module).action("select 1")) {
            // nothing: the record and its id are what is checked
        }
    }
}
