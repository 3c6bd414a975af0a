package io.rpctrace.it.jdbc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.Servers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.mariadb.jdbc.MariaDbDataSource;
import java.sql.SQLException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MariaDB through the MariaDB driver (org.mariadb.jdbc). */
class MariaDbDriverTest extends JdbcContract {
    @BeforeAll
    static void server() {
        Servers.require("MariaDB", "127.0.0.1", 3306);
    }

    @Override String system() { return "mysql"; }
    @Override String url() { return "jdbc:mariadb://127.0.0.1:3306/test"; }
    @Override String user() { return "root"; }
    @Override String password() { return ""; }
    @Override String host() { return "127.0.0.1:3306"; }
    @Override String db() { return "test"; }
    @Override String refusedUrl() { return "jdbc:mariadb://127.0.0.1:3306/test?user=root&password=" + WRONG_PASSWORD; }
    /** This driver quotes a URL's user info, password included, when it cannot parse it. */
    @Test
    void aDriverMessageQuotingThePasswordIsMasked() {
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            SQLException e = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection("jdbc:mariadb://root:" + WRONG_PASSWORD + "@127.0.0.1:3306/test"));
            assertTrue(e.getMessage().contains(WRONG_PASSWORD), "the application still sees the driver's own message");
            traceId = Trace.traceId();
        }
        Records all = Records.of(agent.flush()).inTrace(traceId);
        String line = all.named("mysql.connect.error").single().hasRpcId("0.2").record().line();
        assertTrue(line.contains("***"), line);
        assertFalse(all.toString().contains(WRONG_PASSWORD), all.toString());
    }

    /** MariaDbDataSource connects without java.sql.Driver.connect: still one mysql.connect. */
    @Test
    void dataSourceConnectsAreRecorded() throws Exception {
        MariaDbDataSource ds = new MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/test");
        ds.setUser("root");
        ds.setPassword("");
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {     // 0.2
                s.executeQuery("select 3").close();                                           // 0.3
            }
            traceId = Trace.traceId();
        }
        Records all = Records.of(agent.flush()).inTrace(traceId).assertUniqueIds();
        all.named("mysql.connect").single().hasRpcId("0.2").has("x_host", "127.0.0.1:3306").has("x_db", "test");
        all.named("mysql.request").single().hasRpcId("0.3").has("x_action", "select 3");
    }

    @Override String closedPortUrl() { return "jdbc:mariadb://127.0.0.1:1/test?connectTimeout=2000"; }
}
