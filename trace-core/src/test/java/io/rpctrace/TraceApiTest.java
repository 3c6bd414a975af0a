package io.rpctrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.config.Config;
import io.rpctrace.context.DebugToken;
import io.rpctrace.internal.Tracing;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** docs/model.md#the-manual-api: the manual API, read back from the records it writes. */
class TraceApiTest {
    private static final String TID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private final CollectingWriter writer = new CollectingWriter();
    private ExecutorService pool;

    @BeforeEach
    void start() {
        startWith(Collections.<String, String>emptyMap());
        pool = Executors.newSingleThreadExecutor();
    }

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
    }

    private void startWith(Map<String, String> config) {
        Tracing.start(Config.of(config), writer);
        writer.clear();
    }

    /** Request headers as {@code Trace.enter} reads them, by name, ignoring case; a null value is an absent header. */
    static Function<String, String> headers(String... nameValue) {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (int i = 0; i < nameValue.length; i += 2) {
            if (nameValue[i + 1] != null) {
                h.put(nameValue[i], nameValue[i + 1]);
            }
        }
        return h::get;
    }

    private static Map<String, String> config(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Records as "x_name x_rpc_id", in write order. */
    private List<String> namesAndIds() {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : writer.records()) {
            out.add(r.get("x_name") + " " + r.get("x_rpc_id"));
        }
        return out;
    }

    private Map<String, Object> only(String name) {
        Map<String, Object> found = null;
        for (Map<String, Object> r : writer.records()) {
            if (name.equals(r.get("x_name"))) {
                assertNull(found, "one " + name + " record");
                found = r;
            }
        }
        assertTrue(found != null, "a " + name + " record in " + writer.lines());
        return found;
    }

    // ---- requests, calls, spans ----

    @Test
    void aServedRequestWritesRequestInfoWithTheCallersIds() {
        try (Span req = Trace.enter(TID, "0.3")) {
            assertEquals("0.3.1", req.rpcId());
            assertEquals(TID, Trace.traceId());
            assertEquals("0.3.1", Trace.rpcId());
            req.action("/orders").code("200").clientIp("203.0.113.7");
        }
        Map<String, Object> r = only("request.info");
        assertEquals(TID, r.get("x_trace_id"));
        assertEquals("0.3.1", r.get("x_rpc_id"));
        assertEquals("/orders", r.get("x_action"));
        assertEquals("200", r.get("x_code"));
        assertTrue(r.get("x_duration") instanceof Double);
        assertEquals("", Trace.traceId(), "the scope ends with the request");
    }

    @Test
    void callsSpansAndLogsFollowTheRules() {
        try (Span req = Trace.enter(TID, null)) {
            try (Span q = Trace.call("mysql.request").db("shop")) {
                assertEquals("0.2", q.rpcId());
            }
            try (Span s = Trace.span("render")) {
                assertEquals("0.3", s.rpcId());
                assertEquals("0.3.1", Trace.rpcId());
                try (Span r = Trace.call("redis.request")) {
                    assertEquals("0.3.2", r.rpcId());
                }
                Trace.info("view", "rendered");
            }
            assertEquals("0.3", Trace.rpcId(), "the parent scope is back after the span");
            Trace.warn("api", "slow");
        }
        assertEquals(Arrays.asList(
                "mysql.request 0.2",
                "redis.request 0.3.2",
                "log.info 0.3.2",
                "render 0.3",
                "log.warn 0.3",
                "request.info 0.1"), namesAndIds());
    }

    @Test
    void spanSettersReachTheRecord() {
        try (Span q = Trace.call("mysql.request")) {
            q.module("order_dao_find").action("select 1").host("127.0.0.1:3306").db("shop").code("0")
                    .instanceName("orders-ds").param("[1]").response("ok").responseLen(1).msg("note")
                    .serverIp("10.0.0.1").userAgent("ua").source("ref").uid("u1").dnsNanos(5_000)
                    .extra("s", "v").extra("n", 3L).extra("f", 0.5);
        }
        Map<String, Object> r = only("mysql.request");
        assertEquals("order_dao_find", r.get("x_module"));
        assertEquals("select 1", r.get("x_action"));
        assertEquals("127.0.0.1:3306", r.get("x_host"));
        assertEquals("shop", r.get("x_db"));
        assertEquals("orders-ds", r.get("x_instance_name"));
        assertEquals("[1]", r.get("x_param"));
        assertEquals(1L, r.get("x_response_len"));
        assertEquals(0.000005, r.get("x_dns_duration"));
        assertEquals(Map.of("s", "v", "n", 3L, "f", 0.5), r.get("x_extra"));
        assertTrue(((String) r.get("x_pid")).matches("42-\\d+"));
    }

    @Test
    void spanErrorAppendsDotErrorWithMessageAndBacktrace() {
        try (Span q = Trace.call("mysql.request")) {
            q.error(new IllegalStateException("deadlock"));
        }
        try (Span h = Trace.call("http.post")) {
            h.code("503").failed();
        }
        Map<String, Object> r = only("mysql.request.error");
        assertEquals("java.lang.IllegalStateException: deadlock", r.get("x_msg"));
        assertTrue(((String) r.get("x_backtrace")).contains("\tat io.rpctrace.TraceApiTest"));
        Map<String, Object> h = only("http.post.error");
        assertNull(h.get("x_backtrace"));
        assertEquals("503", h.get("x_code"));
    }

    @Test
    void closingTwiceWritesOneRecordAndLateSettersAreIgnored() {
        Span q = Trace.call("redis.request");
        q.close();
        q.action("late").close();
        assertEquals(1, writer.lines().size());
        assertNull(only("redis.request").get("x_action"));
    }

    // ---- outside any scope (rule 6) ----

    @Test
    void outsideAScopeTheCurrentIdsAreEmpty() {
        assertEquals("", Trace.traceId());
        assertEquals("", Trace.rpcId());
        assertFalse(Trace.isDebug());
    }

    @Test
    void outsideAScopeEachCallAndSpanIsATraceOfItsOwn() {
        String first;
        try (Span c = Trace.call("http.get")) {
            assertEquals("0.1", c.rpcId());
            first = c.traceId();
            assertTrue(first.matches("[0-9a-f]{32}"));
        }
        try (Span s = Trace.span("nightly_job")) {
            assertEquals("0.1", s.rpcId());
            assertNotEquals(first, s.traceId());
            try (Span q = Trace.call("mysql.request")) {
                assertEquals("0.1.2", q.rpcId(), "calls inside the job continue its trace");
                assertEquals(s.traceId(), q.traceId());
            }
        }
        Trace.alarm("boot", "disk almost full");
        assertEquals(Arrays.asList("http.get 0.1", "mysql.request 0.1.2", "nightly_job 0.1", "log.alarm 0.1"),
                namesAndIds());
        assertEquals("", Trace.traceId(), "nothing stays current afterwards");
    }

    // ---- levelled records ----

    @Test
    void levelledRecordsCarryTheCurrentId() {
        try (Span req = Trace.enter(TID, "0.7")) {
            Trace.debug("m", "hidden at INFO");
            Trace.trace("m", "hidden at INFO");
            Trace.info("m", "i");
            Trace.notice("m", "n");
            Trace.warn("m", "w");
            Trace.error("m", "e");
            Trace.alarm("m", "a");
            Trace.exception("m", new IllegalArgumentException("bad id"));
        }
        assertEquals(Arrays.asList("log.info 0.7.1", "log.notice 0.7.1", "log.warn 0.7.1", "log.error 0.7.1",
                "log.alarm 0.7.1", "log.exception 0.7.1", "request.info 0.7.1"), namesAndIds());
        Map<String, Object> ex = only("log.exception");
        assertEquals("m", ex.get("x_module"));
        assertEquals("java.lang.IllegalArgumentException: bad id", ex.get("x_msg"));
        assertTrue(((String) ex.get("x_backtrace")).startsWith("java.lang.IllegalArgumentException: bad id"));
        assertEquals("i", only("log.info").get("x_msg"));
    }

    @Test
    void debugRecordsAtDebugLevel() {
        startWith(config("logs.level", "DEBUG"));
        Trace.debug("m", "shown");
        Trace.trace("m", "still hidden");
        assertEquals(Arrays.asList("log.debug 0.1"), namesAndIds());
        startWith(config("logs.level", "WARN"));
        Trace.info("m", "hidden");
        Trace.warn("m", "shown");
        assertEquals(Arrays.asList("log.warn 0.1"), namesAndIds());
    }

    // ---- debug mode (docs/propagation.md#debug-mode) ----

    @Test
    void debugModeWithTheRightToken() {
        startWith(config("debug.token", "s3cret"));
        try (Span req = Trace.enter(headers("X-Trace-Id", TID, "X-Rpc-Id", "0.3",
                "X-Debug", "1", "X-Debug-Token", "s3cret"))) {
            assertTrue(req.debug());
            assertTrue(Trace.isDebug());
            Trace.debug("m", "visible in debug mode");
            Trace.trace("m", "TRACE needs debug.level=TRACE");
            try (Span child = Trace.span("work")) {
                assertTrue(child.debug(), "debug mode is carried to child scopes");
            }
        }
        assertEquals(Arrays.asList("log.debug 0.3.1", "work 0.3.2", "request.info 0.3.1"), namesAndIds());
    }

    @Test
    void debugModeDownstreamWithTheTraceBoundToken() {
        startWith(config("debug.token", "s3cret"));
        String bound = new DebugToken("s3cret").forTrace(TID);
        try (Span req = Trace.enter(headers("X-Trace-Id", TID, "X-Rpc-Id", "0.3",
                "X-Debug", "1", "X-Debug-Token", bound))) {
            assertTrue(req.debug(), "a downstream hop accepts the HMAC of its trace id");
        }
        try (Span req = Trace.enter(headers("X-Trace-Id", "another-trace", "X-Rpc-Id", "0.3", "X-Debug", "1",
                "X-Debug-Token", bound))) {
            assertFalse(req.debug(), "the token is bound to its trace");
        }
    }

    @Test
    void noDebugModeWithAWrongOrMissingToken() {
        startWith(config("debug.token", "s3cret"));
        String[][] cases = {{"1", "wrong"}, {"1", null}, {"1", ""}, {"0", "s3cret"}, {null, "s3cret"}, {"yes", "s3cret"}};
        for (String[] c : cases) {
            try (Span req = Trace.enter(headers("X-Trace-Id", TID, "X-Debug", c[0], "X-Debug-Token", c[1]))) {
                assertFalse(req.debug(), "X-Debug " + c[0] + ", token " + c[1]);
                Trace.debug("m", "hidden");
            }
        }
        for (Map<String, Object> r : writer.records()) {
            assertEquals("request.info", r.get("x_name"));
        }
    }

    @Test
    void withoutAConfiguredSecretXDebugIsIgnored() {
        try (Span req = Trace.enter(headers("X-Trace-Id", TID, "X-Debug", "1", "X-Debug-Token", ""))) {
            assertFalse(req.debug());
        }
        try (Span req = Trace.enter(headers("X-Trace-Id", TID, "X-Debug", "1", "X-Debug-Token", "anything"))) {
            assertFalse(req.debug());
        }
    }

    @Test
    void debugLevelTraceShowsTraceRecordsInDebugMode() {
        startWith(config("debug.token", "s3cret", "debug.level", "TRACE"));
        try (Span req = Trace.enter(headers("X-Trace-Id", TID, "X-Debug", "1", "X-Debug-Token", "s3cret"))) {
            Trace.trace("m", "t");
        }
        Trace.trace("m", "outside debug mode: hidden");
        assertEquals(Arrays.asList("log.trace 0.1", "request.info 0.1"), namesAndIds());
    }

    // ---- threads (rule 4) ----

    @Test
    void wrappedRunnablesAndCallablesRunInChildScopes() throws Exception {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        try (Span req = Trace.enter(TID, null)) {
            Runnable r = Trace.wrap(() -> {
                seen.add("runnable " + Trace.traceId().equals(TID) + " " + Trace.rpcId());
                try (Span q = Trace.call("mysql.request")) {
                    seen.add("call " + q.rpcId());
                }
            });
            Callable<String> c = Trace.wrap(() -> "callable " + Trace.rpcId());
            pool.submit(r).get();
            seen.add(pool.submit(c).get());
        }
        assertEquals(Arrays.asList("runnable true 0.2.1", "call 0.2.2", "callable 0.3.1"), seen);
        assertEquals("", pool.submit(Trace::traceId).get(), "the pool thread keeps no scope");
    }

    @Test
    void aFailingTaskDoesNotLeakItsScopeIntoThePoolThread() throws Exception {
        try (Span req = Trace.enter(TID, null)) {
            Future<?> f = pool.submit(Trace.wrap((Runnable) () -> {
                throw new IllegalStateException("boom");
            }));
            assertThrows(ExecutionException.class, f::get);
        }
        assertEquals("", pool.submit(Trace::rpcId).get());
    }

    @Test
    void wrappedExecutorServiceGivesEveryTaskItsOwnChild() throws Exception {
        ExecutorService wrapped = Trace.wrap(pool);
        assertSame(wrapped, Trace.wrap(wrapped), "wrapping twice is a no-op");
        List<String> ids = new ArrayList<>();
        try (Span req = Trace.enter(TID, "0.5")) {
            ids.add(wrapped.submit(Trace::rpcId).get());
            ids.add(wrapped.submit(() -> { }, "x").get() + " " + Trace.rpcId());
            List<Callable<String>> tasks = Arrays.asList(Trace::rpcId, Trace::rpcId);
            List<Future<String>> all = wrapped.invokeAll(tasks);
            for (Future<String> f : all) {
                ids.add(f.get());
            }
            List<Callable<String>> one = Collections.singletonList(Trace::rpcId);
            ids.add(wrapped.invokeAny(one));
        }
        // the second task writes nothing and takes no id (docs/model.md#rule-4): the current id
        // after it is still the first task's 0.5.2, and the next task is 0.5.3
        assertEquals(Arrays.asList("0.5.2.1", "x 0.5.2", "0.5.3.1", "0.5.4.1", "0.5.5.1"), ids);
        assertEquals("", pool.submit(Trace::rpcId).get());
    }

    @Test
    void wrappedExecutorCarriesTheScopeToNewThreads() throws Exception {
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        Executor newThread = command -> {
            Thread t = new Thread(command);
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        Executor wrapped = Trace.wrap(newThread);
        try (Span req = Trace.enter(TID, null)) {
            wrapped.execute(() -> ids.add(Trace.rpcId()));
            wrapped.execute(() -> ids.add(Trace.rpcId()));
        }
        assertEquals(Arrays.asList("0.2.1", "0.3.1"), ids);
    }

    @Test
    void outsideAScopeWrapReturnsTheTaskUnchanged() {
        Runnable r = () -> { };
        Callable<String> c = () -> "";
        assertSame(r, Trace.wrap(r));
        assertSame(c, Trace.wrap(c));
    }

    // ---- metrics entry points ----

    @Test
    void countersAndTimersAreNamedSingletons() {
        assertSame(Trace.counter("orders"), Trace.counter("orders"));
        assertSame(Trace.timer("checkout"), Trace.timer("checkout"));
    }
}
