package io.rpctrace.instrumentation.jdbc;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.internal.CallDepth;
import io.rpctrace.internal.CallerModule;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.internal.Secrets;
import io.rpctrace.internal.ThreadSlot;
import java.util.Properties;

/**
 * The JDBC instrumentation's logic, called from its advice (trace-instrumentation/jdbc):
 * {@code <db>.connect} around {@code Driver.connect}, {@code <db>.request} around every
 * {@code execute*} of a {@code Statement}, with the state kept per connection by
 * {@link Connections} and per statement in a {@link StatementTable} (no field is added to driver
 * classes).
 *
 * <p>Nesting: a driver or a pool wrapper (HikariCP's {@code ProxyStatement}) that calls
 * another {@code execute*} from an {@code execute*} writes one record, for the outermost
 * call; {@code Connection.isValid} (pool validation) and HikariCP's own alive check write
 * none. Every {@code *Start} is paired with its {@code *End}, which always runs.
 *
 * <p>Design note: this class is on the bootstrap class path, where {@code java.sql} (a
 * platform module since Java 9) is not visible: it names no {@code java.sql} type. The advice,
 * which runs inside driver classes, passes what it read from JDBC objects (a SQLState, an
 * update count); the rare fallbacks (a statement or connection never seen being created) go
 * through reflection.
 */
public final class JdbcCalls {
    private static final CallDepth CONNECT = CallDepth.of(ConnectionInfo.class);
    private static final CallDepth EXECUTE = CallDepth.of(JdbcCalls.class);
    /** SQL text run with its values inline is a new key on every call; its shape is not. */
    private static final CallerModule.Shape SQL_SHAPE = new CallerModule.Shape() {
        @Override
        protected String of(String sql) {
            return SqlText.siteShape(sql);
        }
    };
    private static final ThreadSlot<Creation> CREATE = new ThreadSlot<Creation>() {
        @Override
        protected Creation initialValue() {
            return new Creation();
        }
    };

    /** Tracked connections and displaced statements at most; past that, state is found from the connection. */
    static final int MAX_TRACKED = 65_536;
    private static final StatementTable STATEMENTS = new StatementTable(StatementTable.DEFAULT_SLOTS, MAX_TRACKED);
    private static final String OK = "0";

    private JdbcCalls() {
    }

    // ---- connect ----

    /** Before {@code Driver.connect}: true for the outermost connect (pair with {@link #connectEnd}). */
    public static boolean connectEnter() {
        return CONNECT.enter() == 0;
    }

    /** The outermost connect, to a URL the driver accepts: the span of {@code <db>.connect}. */
    public static Span connectStart(String url) {
        if (url == null) {
            return null;
        }
        ConnectionInfo info = ConnectionInfo.forUrl(url);
        Span span = Trace.call(info.connectName);
        info.fill(span);
        span.module(CallerModule.of(null));   // connects are rare: no cache
        return span;
    }

    /** After {@code Driver.connect}: remembers the connection's database, writes the record. */
    public static void connectEnd(Span span, String url, Properties properties, Object connection, Throwable thrown,
                                  String sqlState, int vendorCode) {
        CONNECT.exit();
        if (span == null) {
            return;
        }
        if (connection != null) {
            Connections.remember(connection, ConnectionInfo.forUrl(url));
        }
        if (thrown != null) {
            // some drivers quote the URL, password included, in their message
            thrown = ConnectSecrets.scrub(thrown, ConnectSecrets.of(url, properties));
        }
        finish(span, thrown, sqlState, vendorCode);
    }

    // ---- statements ----

    /**
     * One thread's statement creation in progress: its nesting depth, and the database of the
     * innermost connection seen (a pool's wrapper creates the driver's statement inside its own
     * creation, on the physical connection that {@code Driver.connect} returned).
     */
    private static final class Creation {
        int depth;
        ConnectionInfo inner;
    }

    /** Before {@code createStatement}/{@code prepareStatement}/{@code prepareCall}. */
    public static void createStart() {
        CREATE.get().depth++;
    }

    /**
     * After: the outermost creation (a pool's wrapper, not the driver's statement inside it) is
     * remembered, with the database of the connection a nested creation ran on: a pool hands
     * out a new wrapper per borrow, which no map knows, while its physical connection is known
     * since its connect. Only when no nested creation found one is the outer connection
     * resolved ({@link Connections#infoOf}: unwrap, metadata).
     */
    public static void createEnd(Object connection, Object statement, String sql, boolean prepared) {
        Creation c = CREATE.get();
        if (c.depth > 0) {
            c.depth--;
        }
        if (c.depth > 0) {
            if (c.inner == null && connection != null) {
                c.inner = Connections.known(connection);
            }
            return;
        }
        ConnectionInfo info = c.inner;
        c.inner = null;
        if (statement == null || connection == null) {
            return;
        }
        if (info == null) {
            info = Connections.infoOf(connection);
            if (info == null) {
                return;
            }
        }
        JdbcSettings s = info.settings;
        if (prepared) {
            STATEMENTS.put(statement, info, sql, SqlText.action(sql, true, s.sqlMax),
                    s.captureParam ? SqlText.secretParams(sql) : null);
        } else {
            STATEMENTS.put(statement, info, null, null, null);
        }
    }

    /**
     * Before an {@code execute*}: {@code sql} is the argument of the text forms, else null;
     * {@code method} the instrumented method's name ({@code executeBatch} runs the batch).
     */
    public static Span executeStart(Object statement, String sql, String method) {
        if (EXECUTE.enter() > 0) {
            return null;
        }
        boolean batch = isBatch(method);
        StatementState st = STATEMENTS.get(statement);
        ConnectionInfo info = st != null ? st.conn : null;
        if (info == null) {
            info = Connections.infoOf(Connections.invoke(statement, "getConnection"));
            if (info == null) {
                return null;
            }
            // a statement never seen being created: its connection resolved once, not per execution
            STATEMENTS.put(statement, info, null, null, null);
        }
        String action;
        String siteKey;
        if (sql != null) {
            if (sql.isEmpty()) {
                return null;   // an empty statement: a driver's or pool's liveness check
            }
            action = SqlText.action(sql, false, info.settings.literalMax);
            siteKey = sql;
        } else if (batch && st != null && st.batchSql != null) {
            action = SqlText.action(st.batchSql, false, info.settings.literalMax);
            siteKey = st.batchSql;
        } else {
            action = st != null ? st.action : null;
            siteKey = st != null ? st.sql : null;
        }
        Span span = SpanHooks.call(info.requestName);   // pooled record: closed once by executeEnd, never touched after
        info.fill(span);
        span.action(action).module(CallerModule.of(siteKey, SQL_SHAPE));
        if (st != null && st.paramCount > 0) {
            if (info.settings.captureParam) {
                span.param(SqlText.paramsJson(st.params, st.paramCount, st.secret));
            } else if (CurrentScope.debug()) {
                // a debug trace captures them anyway (docs/propagation.md#debug-mode); the
                // statement may have been
                // prepared outside it, so its secret placeholders are found now
                span.param(SqlText.paramsJson(st.params, st.paramCount, SqlText.secretParams(st.sql)));
            }
        }
        return span;
    }

    /**
     * After an {@code execute*}: {@code x_response_len} from the result (an update count, a
     * batch's size, or {@code updateCount} read by the advice when {@code execute} returned
     * false), {@code x_code} {@code 0} or the SQLState (else the vendor code) of the failure.
     */
    public static void executeEnd(Span span, Object statement, Object result, Throwable thrown, String method,
                                  long updateCount, String sqlState, int vendorCode) {
        EXECUTE.exit();
        if (span == null) {
            return;
        }
        if (result instanceof int[]) {
            span.responseLen(((int[]) result).length);
        } else if (result instanceof long[]) {
            span.responseLen(((long[]) result).length);
        } else if (result instanceof Integer || result instanceof Long) {
            span.responseLen(Math.max(0, ((Number) result).longValue()));
        } else if (updateCount >= 0) {
            span.responseLen(updateCount);
        }
        if (isBatch(method)) {
            StatementState st = STATEMENTS.get(statement);
            if (st != null) {
                st.batchSql = null;
            }
        }
        finish(span, thrown, sqlState, vendorCode);
    }

    /** {@code executeBatch}, {@code executeLargeBatch}: {@code x_response_len} is the batch size. */
    private static boolean isBatch(String method) {
        return method != null && method.endsWith("Batch");
    }

    /** Inside {@code Connection.isValid} or a pool's own check: statements there are not recorded. */
    public static void silentStart() {
        EXECUTE.enter();
    }

    /** Pairs {@link #silentStart()}. */
    public static void silentEnd() {
        EXECUTE.exit();
    }

    // ---- parameters and batches ----

    /** True when bound values are captured: {@code capture.param}, or a debug trace. */
    public static boolean capturingParams() {
        return JdbcSettings.get().captureParam || CurrentScope.debug();
    }

    /** {@code setXxx(index, value)}; {@code setNull} passes null. */
    public static void bind(Object statement, int index, Object value) {
        StatementState st = STATEMENTS.get(statement);
        if (st != null && st.sql != null) {   // without its SQL no value could be masked
            st.bind(index, value);
        }
    }

    /** {@code CallableStatement.setXxx(name, value)}: appended; masked when the name looks secret. */
    public static void bind(Object statement, String name, Object value) {
        StatementState st = STATEMENTS.get(statement);
        if (st != null && st.sql != null) {
            st.bind(st.paramCount + 1, name != null && SqlText.SECRET.matcher(name).matches() ? Secrets.MASK : value);
        }
    }

    /** {@code clearParameters()}. */
    public static void clearParams(Object statement) {
        StatementState st = STATEMENTS.get(statement);
        if (st != null) {
            st.clearParams();
        }
    }

    /** {@code Statement.addBatch(sql)}: the first SQL names the batch. */
    public static void addBatch(Object statement, String sql) {
        StatementState st = STATEMENTS.get(statement);
        if (st != null && st.batchSql == null) {
            st.batchSql = sql;
        }
    }

    /** {@code Statement.close()}: its state goes at once rather than at the next GC. */
    public static void closed(Object statement) {
        STATEMENTS.remove(statement);
    }

    // ----

    private static void finish(Span span, Throwable thrown, String sqlState, int vendorCode) {
        if (thrown == null) {
            span.code(OK);
        } else {
            if (sqlState != null && !sqlState.isEmpty()) {
                span.code(sqlState);
            } else if (vendorCode != 0) {
                span.code(String.valueOf(vendorCode));
            }
            span.msg(thrown.getMessage() != null ? thrown.getMessage() : thrown.toString()).error(thrown);
        }
        span.close();
    }
}
