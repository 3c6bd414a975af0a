package io.rpctrace.it.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.Servers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Through HikariCP: one record per statement (not one for the pool's proxy and one for the
 * driver's statement inside it), consecutive ids inside a request, physical connects recorded
 * when the pool opens them, and the pool's validation query ({@code connectionTestQuery}, run
 * on every borrow in this JVM) never recorded; a pooled statement executed on another thread
 * than the one that prepared it keeps its SQL.
 */
class HikariTest {
    private static final String VALIDATION = "select 1";

    private static HikariDataSource pool(String url, String user) {
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(url);
        c.setUsername(user);
        c.setPassword("");
        c.setMaximumPoolSize(2);
        c.setMinimumIdle(1);
        c.setConnectionTestQuery(VALIDATION);
        return new HikariDataSource(c);
    }

    @Test
    void mariaDbThroughConnectorJ() throws Exception {
        Servers.require("MariaDB", "127.0.0.1", 3306);
        pooled("jdbc:mysql://127.0.0.1:3306/test?useSSL=false", "root", "mysql", "127.0.0.1:3306");
    }

    @Test
    void mariaDbThroughTheMariaDbDriver() throws Exception {
        Servers.require("MariaDB", "127.0.0.1", 3306);
        pooled("jdbc:mariadb://127.0.0.1:3306/test", "root", "mysql", "127.0.0.1:3306");
    }

    @Test
    void postgresql() throws Exception {
        Servers.require("PostgreSQL", "127.0.0.1", 5432);
        pooled("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "postgresql", "127.0.0.1:5432");
    }

    /**
     * The agent remembers a statement where any thread finds it (docs/instrumentation/jdbc.md#state-and-its-cost):
     * prepared inside a request, bound and executed by a task on another thread, it is recorded
     * with its SQL, its values and the database of the pool's physical connection.
     */
    @Test
    void aStatementPreparedOnOneThreadAndExecutedOnAnotherKeepsItsSql() throws Exception {
        Servers.require("MariaDB", "127.0.0.1", 3306);
        String url = "jdbc:mariadb://127.0.0.1:3306/test";
        AgentRecords agent = AgentRecords.start();
        ExecutorService other = Executors.newSingleThreadExecutor();
        String traceId;
        try (HikariDataSource ds = pool(url, "root")) {
            try (Span req = Trace.enter(null, null)) {
                try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("select ? * 3")) {
                    int answer = other.submit(() -> {
                        ps.setInt(1, 14);
                        try (ResultSet rs = ps.executeQuery()) {
                            assertTrue(rs.next());
                            return rs.getInt(1);
                        }
                    }).get();
                    assertEquals(42, answer);
                }
                traceId = Trace.traceId();
            }
        } finally {
            other.shutdown();
        }
        Records.of(agent.flush()).inTrace(traceId).named("mysql.request").single()
                .has("x_action", "select ? * 3").has("x_param", "[14]").has("x_host", "127.0.0.1:3306")
                .has("x_db", "test").has("x_instance_name", url).has("x_code", "0");
    }

    private void pooled(String url, String user, String system, String host) throws Exception {
        AgentRecords agent = AgentRecords.start();
        String traceId;
        try (HikariDataSource ds = pool(url, user)) {
            // the pool opened its first connection in its constructor, outside any request (rule 6)
            Records.of(agent.flush()).named(system + ".connect").where(r -> url.equals(r.string("x_instance_name")))
                    .list().forEach(r -> assertEquals("0.1", r.rpcId(), r.toString()));
            try (Span req = Trace.enter(null, null)) {
                try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("select ? + 1")) {
                    ps.setInt(1, 41);
                    try (ResultSet rs = ps.executeQuery()) {                                     // 0.2
                        assertTrue(rs.next());
                        assertEquals(42, rs.getInt(1));
                    }
                }
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.executeQuery("select 2").close();                                          // 0.3
                }
                traceId = Trace.traceId();
            }
        }
        Records all = Records.of(agent.flush());
        Records mine = all.inTrace(traceId).assertUniqueIds();
        assertEquals(List.of("0.1", "0.2", "0.3"), mine.rpcIds(), mine.toString());
        mine.named(system + ".request").where(r -> "0.2".equals(r.rpcId())).single()
                .has("x_action", "select ? + 1").has("x_param", "[41]").has("x_host", host).has("x_db", "test")
                .has("x_instance_name", url).has("x_code", "0").has("x_module", "hikari_test_pooled");
        mine.named(system + ".request").where(r -> "0.3".equals(r.rpcId())).single().has("x_action", "select 2");
        assertEquals(0, all.where(r -> VALIDATION.equals(r.string("x_action"))).size(), all.toString());
        assertTrue(all.named(system + ".connect").size() >= 1, all.toString());
    }
}
