package io.rpctrace.it.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every JDBC driver must record (docs/model.md#ids, docs/propagation.md#headers,
 * docs/record.md#fields; issue 6), run against a real server with the packaged agent
 * (capture.param=true). A driver's test names its URL, credentials and what its server answers; the
 * scenarios are inherited.
 */
abstract class JdbcContract {
    /** A password no record may ever show. */
    static final String WRONG_PASSWORD = "Wr0ngPassw0rd-rpctrace";

    AgentRecords agent;

    /** {@code mysql}, {@code postgresql}, {@code h2}. */
    abstract String system();

    /** The URL without credentials. */
    abstract String url();

    abstract String user();

    abstract String password();

    /** {@code x_host} expected: {@code ip:port}, or null (in-memory H2). */
    abstract String host();

    /** {@code x_db} expected. */
    abstract String db();

    /** A URL carrying credentials the server refuses (user and password in the URL). */
    abstract String refusedUrl();

    /** A URL to a closed port, or null when the driver has none (H2 in memory). */
    abstract String closedPortUrl();

    String table() {
        return "rpct_" + getClass().getSimpleName().toLowerCase();
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    @BeforeEach
    void resetTable() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("drop table if exists " + table());
            s.execute("create table " + table() + " (id int primary key, name varchar(64), password varchar(64))");
        }
        agent = AgentRecords.start();
    }

    private Records trace(String traceId) {
        return Records.of(agent.flush()).inTrace(traceId);
    }

    @Test
    void callsInsideARequestGetConsecutiveIdsAndTheirFields() throws Exception {
        String traceId;
        String name;
        try (Span req = Trace.enter(null, null)) {
            try (Connection c = connect()) {                                                     // 0.2
                try (PreparedStatement ps = c.prepareStatement(
                        "insert into " + table() + " (id, name, password) values (?, ?, ?)")) {
                    ps.setInt(1, 1);
                    ps.setString(2, "alice");
                    ps.setString(3, "hunter2");
                    assertEquals(1, ps.executeUpdate());                                         // 0.3
                }
                try (PreparedStatement ps = c.prepareStatement("select name from " + table() + " where id = ?")) {
                    ps.setInt(1, 1);
                    try (ResultSet rs = ps.executeQuery()) {                                     // 0.4
                        assertTrue(rs.next());
                        name = rs.getString(1);
                    }
                }
            }
            traceId = Trace.traceId();
        }
        assertEquals("alice", name);
        Records all = trace(traceId).assertUniqueIds();
        assertEquals(List.of("0.1", "0.2", "0.3", "0.4"), all.rpcIds(), all.toString());
        TraceRecord connect = all.named(system() + ".connect").single().hasRpcId("0.2").has("x_code", "0")
                .has("x_db", db()).record();
        assertEquals(host(), connect.string("x_host"));
        assertEquals(url(), connect.string("x_instance_name"));
        assertNotNull(connect.string("x_duration"));
        Records requests = all.named(system() + ".request");
        assertEquals(2, requests.size(), requests.toString());
        TraceRecord insert = requests.where(r -> "0.3".equals(r.rpcId())).single()
                .has("x_action", "insert into " + table() + " (id, name, password) values (?, ?, ?)")
                .has("x_code", "0").has("x_response_len", "1").has("x_db", db())
                .has("x_param", "[1,\"alice\",\"***\"]")
                .has("x_module", "jdbc_contract_calls_inside_a_request_get_consecutive_ids_and_their_fields")
                .record();
        assertEquals(host(), insert.string("x_host"));
        assertEquals(url(), insert.string("x_instance_name"));
        assertTrue(Double.parseDouble(insert.string("x_duration")) > 0, insert.toString());
        requests.where(r -> "0.4".equals(r.rpcId())).single()
                .has("x_action", "select name from " + table() + " where id = ?").has("x_param", "[1]");
        assertFalse(all.toString().contains("hunter2"), all.toString());
    }

    @Test
    void badSqlWritesRequestErrorAndTheApplicationGetsTheDriversException() throws Exception {
        String traceId;
        SQLException seen;
        try (Span req = Trace.enter(null, null); Connection c = connect(); Statement s = c.createStatement()) {
            seen = assertThrows(SQLException.class, () -> s.executeQuery("select * from rpct_no_such_table"));
            traceId = Trace.traceId();
        }
        assertNotNull(seen.getSQLState());
        Records all = trace(traceId);
        all.named(system() + ".request.error").single().hasRpcId("0.3")
                .has("x_action", "select * from rpct_no_such_table")
                .has("x_code", seen.getSQLState()).has("x_msg", seen.getMessage());
        assertEquals(0, all.named(system() + ".request").size(), all.toString());
    }

    @Test
    void refusedCredentialsWriteConnectErrorWithoutThePassword() throws Exception {
        String traceId;
        SQLException seen;
        try (Span req = Trace.enter(null, null)) {
            seen = assertThrows(SQLException.class, () -> DriverManager.getConnection(refusedUrl()).close());
            traceId = Trace.traceId();
        }
        Records all = trace(traceId);
        TraceRecord error = all.named(system() + ".connect.error").single().hasRpcId("0.2").record();
        if (seen.getSQLState() != null) {
            assertEquals(seen.getSQLState(), error.string("x_code"));
        }
        assertNotNull(error.string("x_msg"));
        assertFalse(Records.of(agent.flush()).toString().contains(WRONG_PASSWORD), all.toString());
        assertFalse(error.string("x_instance_name").contains("password"), error.toString());
    }

    @Test
    void closedPortWritesConnectError() throws Exception {
        String url = closedPortUrl();
        if (url == null) {
            return;
        }
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            assertThrows(SQLException.class, () -> DriverManager.getConnection(url, user(), password()).close());
            traceId = Trace.traceId();
        }
        trace(traceId).named(system() + ".connect.error").single().hasRpcId("0.2").has("x_host", "127.0.0.1:1");
    }

    @Test
    void batchesRecordTheirSizeAndTextStatementsTheirSql() throws Exception {
        String traceId;
        try (Span req = Trace.enter(null, null); Connection c = connect()) {
            try (PreparedStatement ps = c.prepareStatement("insert into " + table() + " (id, name) values (?, ?)")) {
                for (int i = 10; i < 13; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "n" + i);
                    ps.addBatch();
                }
                assertEquals(3, ps.executeBatch().length);                                       // 0.3
            }
            try (Statement s = c.createStatement()) {
                s.addBatch("update " + table() + " set name = 'x' where id = 10");
                s.addBatch("update " + table() + " set name = 'y' where id = 11");
                assertEquals(2, s.executeBatch().length);                                        // 0.4
                assertEquals(3, s.executeUpdate("update " + table() + " set name = 'z' where id >= 10")); // 0.5
                assertFalse(s.execute("delete from " + table() + " where id = 12"));              // 0.6
                try (ResultSet rs = s.executeQuery("select count(*) from " + table())) {          // 0.7
                    assertTrue(rs.next());
                    assertEquals(2, rs.getInt(1));
                }
            }
            traceId = Trace.traceId();
        }
        Records requests = trace(traceId).named(system() + ".request");
        assertEquals(List.of("0.3", "0.4", "0.5", "0.6", "0.7"), requests.rpcIds(), requests.toString());
        requests.where(r -> "0.3".equals(r.rpcId())).single()
                .has("x_action", "insert into " + table() + " (id, name) values (?, ?)").has("x_response_len", "3");
        requests.where(r -> "0.4".equals(r.rpcId())).single()
                .has("x_action", "update " + table() + " set name = 'x' where id = 10").has("x_response_len", "2");
        requests.where(r -> "0.5".equals(r.rpcId())).single().has("x_response_len", "3");
        requests.where(r -> "0.6".equals(r.rpcId())).single().has("x_response_len", "1");
        assertNull(requests.where(r -> "0.7".equals(r.rpcId())).single().record().string("x_param"));
    }

    @Test
    void outsideARequestEachCallIsATraceOfItsOwn() throws Exception {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.executeQuery("select count(*) from " + table() + " where id < 0").close();
        }
        Records requests = Records.of(agent.flush()).named(system() + ".request")
                .where(r -> ("select count(*) from " + table() + " where id < 0").equals(r.string("x_action")));
        requests.single().hasRpcId("0.1");
    }
}
