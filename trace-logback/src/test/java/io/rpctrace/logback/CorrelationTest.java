package io.rpctrace.logback;

import static io.rpctrace.logback.Fixture.APP_LOGGER;
import static io.rpctrace.logback.Fixture.TRACE_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** SPEC §6 correlation: %X{x_trace_id} / %X{x_rpc_id} inside a scope, nothing outside. */
@SuppressWarnings("try") // spans opened only for their scope
class CorrelationTest {
    private final Logger log = LoggerFactory.getLogger(APP_LOGGER);
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
        assertNull(MDC.get("x_trace_id"), "removed by the first event logged outside the scope");
    }

    @Test
    void aRequestThatLogsNothingLeavesTheMdcAlone() {
        Fixture.start();
        log.info("outside: removes what an earlier test left on this thread");
        assertNull(MDC.get("x_trace_id"));
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            log.debug("disabled");
            assertNull(MDC.get("x_trace_id"));
        }
    }

    @Test
    void theApplicationClearingItsMdcDoesNotLoseTheIds() {
        Fixture.start();
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            log.info("one");
            MDC.clear();
            MDC.put("user", "u1");
            log.info("two");
        }
        MDC.clear();
        assertEquals(Arrays.asList(P + TRACE_ID + "|0.3.1|one", P + TRACE_ID + "|0.3.1|two"), LinesAppender.lines());
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
