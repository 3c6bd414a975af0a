package io.rpctrace.logback;

import static io.rpctrace.testing.logging.LoggingFixture.TRACE_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.logging.AppLines;
import io.rpctrace.testing.logging.CorrelationContract;
import io.rpctrace.testing.logging.LoggingFixture;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** Correlation on Logback: the ids are put into the MDC by the turbo filter, for enabled events only. */
@SuppressWarnings("try") // spans opened only for their scope
class CorrelationTest extends CorrelationContract {
    CorrelationTest() {
        super(new LogbackBinding());
    }

    @Override
    @Test
    public void idsShowInsideARequestAndNothingOutside() {
        super.idsShowInsideARequestAndNothingOutside();
        assertNull(MDC.get("x_trace_id"), "removed by the first event logged outside the scope");
    }

    @Test
    void aRequestThatLogsNothingLeavesTheMdcAlone() {
        LoggingFixture.start();
        log.info("outside: removes what an earlier test left on this thread");
        assertNull(MDC.get("x_trace_id"));
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            log.debug("disabled");
            assertNull(MDC.get("x_trace_id"));
        }
    }

    @Test
    void theApplicationClearingItsMdcDoesNotLoseTheIds() {
        LoggingFixture.start();
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            log.info("one");
            MDC.clear();
            MDC.put("user", "u1");
            log.info("two");
        }
        MDC.clear();
        assertEquals(Arrays.asList(P + TRACE_ID + "|0.3.1|one", P + TRACE_ID + "|0.3.1|two"), AppLines.lines());
    }
}
