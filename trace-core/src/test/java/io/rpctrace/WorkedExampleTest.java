package io.rpctrace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rpctrace.config.Config;
import io.rpctrace.internal.Tracing;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** docs/model.md#worked-example ({@link WorkedExample}): the ids of every record. */
class WorkedExampleTest {
    private final CollectingWriter writer = new CollectingWriter();

    @BeforeEach
    void start() {
        Tracing.start(Config.of(Collections.<String, String>emptyMap()), writer);
    }

    @AfterEach
    void clear() {
        writer.clear();
    }

    @Test
    void idsFollowTheSpec() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        String traceId = WorkedExample.run(pool);
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);

        List<String> got = new ArrayList<>();
        for (Map<String, Object> r : writer.records()) {
            assertEquals(traceId, r.get("x_trace_id"));
            got.add(r.get("x_name") + " " + r.get("x_rpc_id"));
        }
        Collections.sort(got);
        List<String> want = new ArrayList<>(java.util.Arrays.asList(
                "request.info 0.1",
                "mysql.request 0.2",
                "http.post 0.3",
                "request.info 0.3.1",
                "log.info 0.3.1",
                "redis.request 0.3.2",
                "log.info 0.3",
                "mysql.request 0.4.2",
                "mysql.request 0.5.2"));
        Collections.sort(want);
        assertEquals(want, got);
    }
}
