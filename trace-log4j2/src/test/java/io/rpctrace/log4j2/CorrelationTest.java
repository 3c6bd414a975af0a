package io.rpctrace.log4j2;

import static io.rpctrace.log4j2.Fixture.APP_LOGGER;
import static io.rpctrace.log4j2.Fixture.TRACE_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.Test;

/** SPEC §6 correlation: %X{x_trace_id} / %X{x_rpc_id} inside a scope, nothing outside. */
@SuppressWarnings("try") // spans opened only for their scope
class CorrelationTest {
    private final Logger log = LogManager.getLogger(APP_LOGGER);
    private static final String P = "INFO|" + APP_LOGGER + "|";

    @Test
    void idsShowInsideARequestAndNothingOutside() {
        Fixture.start();
        log.info("before");
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            log.info("inside");
            try (Span c = Trace.call("http.get")) {
                log.info("during the call");
            }
            log.info("after the call");
        }
        log.info("outside");
        assertEquals(Arrays.asList(
                P + "||before",
                P + TRACE_ID + "|0.3.1|inside",
                P + TRACE_ID + "|0.3.2|during the call",
                P + TRACE_ID + "|0.3.2|after the call",
                P + "||outside"), LinesAppender.lines());
    }

    @Test
    void theThreadContextIsNeverWritten() {
        Fixture.start();
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            log.info("inside");
            assertNull(ThreadContext.get("x_trace_id"));
        }
    }

    @Test
    void theApplicationsThreadContextIsKept() {
        Fixture.start();
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            ThreadContext.put("user", "u1");
            try {
                log.info("one");
            } finally {
                ThreadContext.clearMap();
            }
        }
        assertEquals(Arrays.asList(P + TRACE_ID + "|0.3.1|one"), LinesAppender.lines());
    }

    @Test
    void tasksCarryTheirChildIdsAndPooledThreadsForgetThem() throws Exception {
        Fixture.start();
        ExecutorService pool = Trace.wrap(Executors.newSingleThreadExecutor());
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            pool.submit(() -> log.info("task")).get();
        }
        pool.submit(() -> log.info("later")).get();
        pool.shutdown();
        assertEquals(Arrays.asList(P + TRACE_ID + "|0.3.2.1|task", P + "||later"), LinesAppender.lines());
    }
}
