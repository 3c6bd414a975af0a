package io.rpctrace.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What the JDBC advice asks {@link JdbcCalls}, driven here in the order the advice calls it
 * (the packaged agent on real drivers and pools is jdbc-it's).
 */
class JdbcCallsTest {
    private static final String URL = "jdbc:h2:mem:jdbccalls";
    private static final String SQL = "select name from items where id = ?";

    /** A JDBC interface whose methods count their calls and answer {@code answer(name)}. */
    private static <T> T fake(Class<T> type, Map<String, AtomicInteger> calls, Map<String, Object> answers) {
        return type.cast(Proxy.newProxyInstance(JdbcCallsTest.class.getClassLoader(), new Class<?>[] {type},
                (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), k -> new AtomicInteger()).incrementAndGet();
                    return answers.get(method.getName());
                }));
    }

    /** A physical connection as {@code Driver.connect} returns it: its {@code <db>.connect} record is written. */
    private static Connection connected(Map<String, AtomicInteger> calls) {
        Connection physical = fake(Connection.class, calls, Map.of());
        assertTrue(JdbcCalls.connectEnter());
        JdbcCalls.connectEnd(JdbcCalls.connectStart(URL), URL, null, physical, null, null, 0);
        return physical;
    }

    private static void execute(Object statement) {
        Span span = JdbcCalls.executeStart(statement, null, "executeQuery");
        JdbcCalls.executeEnd(span, statement, null, null, "executeQuery", -1, null, 0);
    }

    /**
     * A pool hands out a new wrapper of its physical connection per borrow (HikariCP's
     * {@code HikariProxyConnection}), which creates the driver's statement inside its own
     * {@code prepareStatement}: the database is the one of that nested creation's connection,
     * without unwrapping the wrapper (a reflective call per statement before).
     */
    @Test
    void aPooledConnectionsDatabaseComesFromTheNestedCreationNotFromUnwrap() {
        CollectingWriter w = CollectingWriter.startTracing();
        try {
            Map<String, AtomicInteger> calls = new java.util.concurrent.ConcurrentHashMap<>();
            Connection physical = connected(calls);
            Connection wrapper = fake(Connection.class, calls, Map.of("unwrap", physical));
            Object driverStatement = new Object();
            Object poolStatement = new Object();
            JdbcCalls.createStart();                                          // the pool's prepareStatement
            JdbcCalls.createStart();                                          // the driver's, inside it
            JdbcCalls.createEnd(physical, driverStatement, SQL, true);
            JdbcCalls.createEnd(wrapper, poolStatement, SQL, true);
            execute(poolStatement);
            JdbcCalls.closed(driverStatement);
            JdbcCalls.closed(poolStatement);
            assertEquals(List.of(), List.copyOf(calls.keySet()), "calls on the connections");
            List<Map<String, Object>> requests = w.named("h2.request");
            assertEquals(1, requests.size(), requests.toString());
            assertEquals(SQL, requests.get(0).get("x_action"));
            assertEquals("jdbccalls", requests.get(0).get("x_db"));
        } finally {
            CollectingWriter.resetTracing();
        }
    }

    /** A statement prepared on one thread and bound and executed on another keeps its SQL and values. */
    @Test
    void aStatementUsedOnAnotherThreadThanItsCreatorKeepsItsSqlAndValues() throws Exception {
        CollectingWriter w = CollectingWriter.startTracing("capture.param", "true");
        try {
            Connection physical = connected(new java.util.concurrent.ConcurrentHashMap<>());
            Object statement = new Object();
            JdbcCalls.createStart();
            JdbcCalls.createEnd(physical, statement, SQL, true);
            CompletableFuture.runAsync(() -> {
                JdbcCalls.bind(statement, 1, 42);
                execute(statement);
                JdbcCalls.closed(statement);
            }).get();
            List<Map<String, Object>> requests = w.named("h2.request");
            assertEquals(1, requests.size(), requests.toString());
            assertEquals(SQL, requests.get(0).get("x_action"));
            assertEquals("[42]", requests.get(0).get("x_param"));
        } finally {
            CollectingWriter.resetTracing();
        }
    }

    /**
     * A statement whose creation the agent never saw (created before it attached) is recorded
     * through its connection, asked once: later executions find what the first one resolved.
     */
    @Test
    void aStatementNeverSeenBeingCreatedHasItsConnectionResolvedOnce() {
        CollectingWriter w = CollectingWriter.startTracing();
        try {
            Connection physical = connected(new java.util.concurrent.ConcurrentHashMap<>());
            Map<String, AtomicInteger> calls = new java.util.concurrent.ConcurrentHashMap<>();
            PreparedStatement statement = fake(PreparedStatement.class, calls, Map.of("getConnection", physical));
            execute(statement);
            execute(statement);
            JdbcCalls.closed(statement);
            assertEquals(2, w.named("h2.request").size(), w.lines().toString());
            assertEquals(1, calls.get("getConnection").get());
        } finally {
            CollectingWriter.resetTracing();
        }
    }

    /** docs/propagation.md#debug-mode: bind values are captured for a debug trace although capture.param is off. */
    @Test
    void bindValuesAreCapturedInADebugTraceOnly() {
        CollectingWriter.startTracing("debug.token", "s3cret");   // capture.param off (the default)
        try {
            try (Span debug = Trace.enter(Map.of("X-Debug", "1", "X-Debug-Token", "s3cret")::get)) {
                assertTrue(JdbcCalls.capturingParams());
            }
            try (Span plain = Trace.enter(null, null)) {
                assertFalse(JdbcCalls.capturingParams());
            }
        } finally {
            CollectingWriter.resetTracing();
        }
    }
}
