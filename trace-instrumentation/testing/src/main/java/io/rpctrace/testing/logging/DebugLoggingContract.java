package io.rpctrace.testing.logging;

import static io.rpctrace.testing.logging.LoggingFixture.APP_LOGGER;
import static io.rpctrace.testing.logging.LoggingFixture.SECRET;
import static io.rpctrace.testing.logging.LoggingFixture.TRACE_ID;
import static io.rpctrace.testing.logging.LoggingFixture.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.internal.Tracing;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Debug mode for one request (docs/propagation.md#debug-mode, docs/logging.md#debug-for-one-request)
 * with the root level at INFO: one request is switched to DEBUG. A framework module's test
 * extends this with its {@link LoggingBinding}.
 */
@SuppressWarnings("try") // spans opened only for their scope
public abstract class DebugLoggingContract {
    /** The application's logger ({@link LoggingFixture#APP_LOGGER}). */
    protected final AppLogger log;

    protected DebugLoggingContract(LoggingBinding binding) {
        this.log = new AppLogger(binding, APP_LOGGER);
    }

    @Test
    public void aDebugRequestLogsItsDebugLinesToTheAppAndAsRecords() {
        CollectingWriter w = LoggingFixture.start();
        try (Span s = Trace.enter(Map.of("X-Trace-Id", TRACE_ID, "X-Rpc-Id", "0.3",
                "X-Debug", "1", "X-Debug-Token", SECRET)::get)) {
            assertTrue(log.isDebugEnabled());
            assertFalse(log.isTraceEnabled(), "debug.level defaults to DEBUG");
            log.debug("loading order {}", 42);
            log.trace("not at TRACE");
        }
        assertEquals(Collections.singletonList("DEBUG|" + APP_LOGGER + "|" + TRACE_ID + "|0.3.1|loading order 42"),
                AppLines.lines("DEBUG|"));
        assertEquals(Collections.emptyList(), AppLines.lines("TRACE|"));
        List<Map<String, Object>> debug = records(w, "log.debug");
        assertEquals(1, debug.size(), w.lines().toString());
        assertEquals(TRACE_ID, debug.get(0).get("x_trace_id"));
        assertEquals("0.3.1", debug.get(0).get("x_rpc_id"));
        assertEquals(APP_LOGGER, debug.get(0).get("x_module"));
        assertEquals("loading order 42", debug.get(0).get("x_msg"));
        assertTrue(records(w, "log.trace").isEmpty());
    }

    @Test
    public void aDownstreamServiceAcceptsTheTraceBoundToken() {
        CollectingWriter w = LoggingFixture.start();
        String token = Tracing.get().debugToken().forTrace(TRACE_ID);
        try (Span s = Trace.enter(Map.of("X-Trace-Id", TRACE_ID, "X-Rpc-Id", "0.3",
                "X-Debug", "1", "X-Debug-Token", token)::get)) {
            assertTrue(log.isDebugEnabled());
            log.debug("downstream");
        }
        assertEquals(1, records(w, "log.debug").size());
        assertEquals("0.3.1", records(w, "log.debug").get(0).get("x_rpc_id"));
    }

    @Test
    public void plainAndWrongTokenRequestsSeeTheConfiguredLevels() {
        CollectingWriter w = LoggingFixture.start();
        try (Span s = Trace.enter(TRACE_ID, "0.3")) {
            assertFalse(log.isDebugEnabled());
            log.debug("plain {}", 1);
        }
        try (Span s = Trace.enter(Map.of("X-Trace-Id", TRACE_ID, "X-Rpc-Id", "0.3",
                "X-Debug", "1", "X-Debug-Token", "wrong")::get)) {
            assertFalse(log.isDebugEnabled());
            log.debug("wrong token {}", 2);
        }
        try (Span s = Trace.enter(Map.of("X-Trace-Id", TRACE_ID, "X-Rpc-Id", "0.3",
                "X-Debug", "0", "X-Debug-Token", SECRET)::get)) {
            assertFalse(log.isDebugEnabled());
            log.debug("X-Debug: 0 {}", 3);
        }
        assertFalse(log.isDebugEnabled(), "outside any request");
        assertEquals(Collections.emptyList(), AppLines.lines("DEBUG|"));
        assertTrue(records(w, "log.debug").isEmpty());
    }

    @Test
    public void withoutAConfiguredSecretXDebugIsIgnored() {
        LoggingFixture.start("debug.token", "");
        try (Span s = Trace.enter(Map.of("X-Trace-Id", TRACE_ID, "X-Rpc-Id", "0.3",
                "X-Debug", "1", "X-Debug-Token", SECRET)::get)) {
            assertFalse(log.isDebugEnabled());
        }
    }

    @Test
    public void debugLevelTraceEnablesTrace() {
        CollectingWriter w = LoggingFixture.start("debug.level", "TRACE");
        try (Span s = Trace.enter(Map.of("X-Trace-Id", TRACE_ID, "X-Debug", "1", "X-Debug-Token", SECRET)::get)) {
            assertTrue(log.isTraceEnabled());
            log.trace("very fine");
        }
        assertEquals(1, AppLines.lines("TRACE|").size());
        assertEquals(1, records(w, "log.trace").size());
    }

    @Test
    public void debugModeFollowsTheTraceToItsTasks() throws Exception {
        CollectingWriter w = LoggingFixture.start();
        ExecutorService pool = Trace.wrap(Executors.newSingleThreadExecutor());
        try (Span s = Trace.enter(Map.of("X-Trace-Id", TRACE_ID, "X-Rpc-Id", "0.3",
                "X-Debug", "1", "X-Debug-Token", SECRET)::get)) {
            pool.submit(() -> log.debug("in a task")).get();
        }
        pool.submit(() -> log.debug("the same thread, later")).get();
        pool.shutdown();
        assertEquals(Collections.singletonList("DEBUG|" + APP_LOGGER + "|" + TRACE_ID + "|0.3.2.1|in a task"),
                AppLines.lines("DEBUG|"));
        assertEquals(1, records(w, "log.debug").size());
    }

    /** 2 threads x 10k requests alternating debug and plain: debug output never leaks into a plain request. */
    @Test
    public void debugNeverLeaksIntoPlainRequests() throws Exception {
        CollectingWriter w = LoggingFixture.start();
        int perThread = 10_000;
        Set<String> debugIds = ConcurrentHashMap.newKeySet();
        AtomicInteger wrongAnswers = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < perThread; i++) {
                    boolean debug = i % 2 == 0;
                    try (Span s = debug ? Trace.enter(Map.of("X-Debug", "1", "X-Debug-Token", SECRET)::get)
                            : Trace.enter(null, null)) {
                        if (debug) {
                            debugIds.add(Trace.traceId());
                        }
                        if (log.isDebugEnabled() != debug) {
                            wrongAnswers.incrementAndGet();
                        }
                        log.debug("request {}", Trace.traceId());
                    }
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
        assertEquals(0, wrongAnswers.get());
        assertEquals(perThread, debugIds.size());
        List<String> lines = AppLines.lines("DEBUG|");
        assertEquals(perThread, lines.size());
        Set<String> seen = new HashSet<>();
        for (String l : lines) {
            String[] f = l.split("\\|");
            assertTrue(debugIds.contains(f[2]), l);
            assertEquals("request " + f[2], f[4], "the MDC id is the request's own: " + l);
            seen.add(f[2]);
        }
        assertEquals(perThread, seen.size());
        List<Map<String, Object>> recs = records(w, "log.debug");
        assertEquals(perThread, recs.size());
        for (Map<String, Object> r : recs) {
            assertTrue(debugIds.contains(r.get("x_trace_id")));
            assertEquals("request " + r.get("x_trace_id"), r.get("x_msg"));
        }
    }
}
