package io.rpctrace.log4j2;

import static io.rpctrace.testing.logging.LoggingFixture.TRACE_ID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.logging.AppLines;
import io.rpctrace.testing.logging.CorrelationContract;
import io.rpctrace.testing.logging.LoggingFixture;
import java.util.Arrays;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.Test;

/** Correlation on Log4j2: the ids come from a ContextDataProvider; the ThreadContext is the application's. */
@SuppressWarnings("try") // spans opened only for their scope
class CorrelationTest extends CorrelationContract {
    CorrelationTest() {
        super(new Log4j2Binding());
    }

    @Test
    void theThreadContextIsNeverWritten() {
        LoggingFixture.start();
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            log.info("inside");
            assertNull(ThreadContext.get("x_trace_id"));
        }
    }

    @Test
    void theApplicationsThreadContextIsKept() {
        LoggingFixture.start();
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            ThreadContext.put("user", "u1");
            try {
                log.info("one");
            } finally {
                ThreadContext.clearMap();
            }
        }
        assertEquals(Arrays.asList(P + TRACE_ID + "|0.3.1|one"), AppLines.lines());
    }
}
