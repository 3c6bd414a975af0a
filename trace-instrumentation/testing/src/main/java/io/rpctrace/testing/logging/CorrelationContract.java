package io.rpctrace.testing.logging;

import static io.rpctrace.testing.logging.LoggingFixture.APP_LOGGER;
import static io.rpctrace.testing.logging.LoggingFixture.TRACE_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Correlation (docs/logging.md#correlation): {@code %X{x_trace_id}} / {@code %X{x_rpc_id}} in
 * the application's own lines inside a scope, nothing outside. A framework module's test
 * extends this with its {@link LoggingBinding} and adds what its framework's context (MDC,
 * ThreadContext) must and must not see.
 */
@SuppressWarnings("try") // spans opened only for their scope
public abstract class CorrelationContract {
    /** An INFO line of the application's logger, up to the ids. */
    protected static final String P = "INFO|" + APP_LOGGER + "|";
    /** The application's logger ({@link LoggingFixture#APP_LOGGER}). */
    protected final AppLogger log;

    protected CorrelationContract(LoggingBinding binding) {
        this.log = new AppLogger(binding, APP_LOGGER);
    }

    @Test
    public void idsShowInsideARequestAndNothingOutside() {
        LoggingFixture.start();
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
                P + "||outside"), AppLines.lines());
    }

    @Test
    public void tasksCarryTheirChildIdsAndPooledThreadsForgetThem() throws Exception {
        LoggingFixture.start();
        ExecutorService pool = Trace.wrap(Executors.newSingleThreadExecutor());
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            pool.submit(() -> log.info("task")).get();
        }
        pool.submit(() -> log.info("later")).get();
        pool.shutdown();
        assertEquals(Arrays.asList(P + TRACE_ID + "|0.3.2.1|task", P + "||later"), AppLines.lines());
    }
}
