package io.rpctrace.it.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Many requests whose chains interleave on two shared threads (as on an event loop): every record
 * belongs to its own request's trace, with exactly the ids of that request, none lost.
 */
@ExtendWith(NoInstrumentationErrors.class)
class SharedThreadsTest {
    private static final int REQUESTS = 500;

    @Test
    void interleavedChainsOnTwoThreadsNeverSeeAnotherRequestsScope() throws Exception {
        AgentRecords agent = AgentRecords.start();
        Scheduler two = Schedulers.newParallel("it-two", 2);
        ExecutorService callers = Executors.newFixedThreadPool(16);
        try {
            List<Future<String[]>> requests = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                requests.add(callers.submit(() -> {
                    try (Span req = Trace.enter(null, null)) {
                        String traceId = Trace.traceId();
                        String seen = Flux.range(0, 3).publishOn(two, 1)
                                .concatMap(n -> Mono.delay(Duration.ofMillis(1), two).map(x -> n))
                                .map(n -> {
                                    try (Span call = Trace.call("op.shared")) {
                                        return call.rpcId() + "@" + Trace.traceId();
                                    }
                                })
                                .collect(Collectors.joining(",")).block(Duration.ofSeconds(30));
                        return new String[] {traceId, seen};
                    }
                }));
            }
            for (Future<String[]> f : requests) {
                String[] r = f.get();
                String t = r[0];
                assertEquals("0.2@" + t + ",0.3@" + t + ",0.4@" + t, r[1]);
            }
            List<TraceRecord> all = agent.flush();
            Map<String, List<String>> idsByTrace = Records.of(all).named("op.shared").list().stream()
                    .collect(Collectors.groupingBy(TraceRecord::traceId,
                            Collectors.mapping(TraceRecord::rpcId, Collectors.toList())));
            assertEquals(REQUESTS, idsByTrace.size());
            for (Future<String[]> f : requests) {
                List<String> ids = idsByTrace.get(f.get()[0]);
                assertEquals(List.of("0.2", "0.3", "0.4"), ids.stream().sorted().collect(Collectors.toList()));
            }
            // and the shared threads keep no scope afterwards
            assertEquals("", Mono.fromCallable(Trace::traceId).subscribeOn(two).block(Duration.ofSeconds(5)));
        } finally {
            callers.shutdownNow();
            two.dispose();
        }
    }
}
