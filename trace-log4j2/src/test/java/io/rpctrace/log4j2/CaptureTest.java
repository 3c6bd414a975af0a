package io.rpctrace.log4j2;

import static io.rpctrace.testing.logging.LoggingFixture.APP_LOGGER;
import static io.rpctrace.testing.logging.LoggingFixture.TRACE_ID;
import static io.rpctrace.testing.logging.LoggingFixture.records;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rpctrace.CollectingWriter;
import io.rpctrace.testing.logging.CaptureContract;
import io.rpctrace.testing.logging.LoggingFixture;
import java.util.Collections;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;

/** Capture on Log4j2 (the Rpctrace appender), plus what only Log4j2 events carry. */
class CaptureTest extends CaptureContract {
    CaptureTest() {
        super(new Log4j2Binding());
    }

    @Test
    void locationIsUsedWhenTheEventAlreadyHasIt() {
        CollectingWriter w = LoggingFixture.start();
        LogEvent e = Log4jLogEvent.newBuilder().setLoggerName(APP_LOGGER).setLevel(Level.WARN)
                .setMessage(new SimpleMessage("located")).setIncludeLocation(true)
                .setSource(new StackTraceElement("com.acme.OrderService", "create", "OrderService.java", 42))
                .build();
        ((LoggerContext) LogManager.getContext(false)).getConfiguration().getAppender("RPCTRACE").append(e);
        Map<String, Object> r = records(w, "log.warn").get(0);
        assertEquals("OrderService.java", r.get("x_file"));
        assertEquals("42", r.get("x_line"));
    }

    /** With asynchronous loggers the scope is not current: the ids come from the event's context data. */
    @Test
    void onAnotherThreadTheIdsComeFromTheEventsContextData() {
        CollectingWriter w = LoggingFixture.start();
        org.apache.logging.log4j.util.StringMap data = org.apache.logging.log4j.core.impl.ContextDataFactory.createContextData();
        data.putValue("x_trace_id", TRACE_ID);
        data.putValue("x_rpc_id", "0.3.2");
        data.putValue("user", "u1");
        LogEvent e = Log4jLogEvent.newBuilder().setLoggerName(APP_LOGGER).setLevel(Level.INFO)
                .setMessage(new SimpleMessage("queued")).setContextData(data).build();
        ((LoggerContext) LogManager.getContext(false)).getConfiguration().getAppender("RPCTRACE").append(e);
        Map<String, Object> r = records(w, "log.info").get(0);
        assertEquals(TRACE_ID, r.get("x_trace_id"));
        assertEquals("0.3.2", r.get("x_rpc_id"));
        assertEquals(Collections.singletonMap("user", "u1"), extra(r));
    }

    @Test
    void fatalIsLogError() {
        CollectingWriter w = LoggingFixture.start();
        LogManager.getLogger(APP_LOGGER).fatal("meltdown");
        assertEquals("meltdown", records(w, "log.error").get(0).get("x_msg"));
    }
}
