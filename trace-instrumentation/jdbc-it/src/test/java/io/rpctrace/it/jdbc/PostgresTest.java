package io.rpctrace.it.jdbc;

import io.rpctrace.testing.Servers;
import org.junit.jupiter.api.BeforeAll;

/** PostgreSQL through pgJDBC. The local server trusts every password, so a missing role is refused. */
class PostgresTest extends JdbcContract {
    @BeforeAll
    static void server() {
        Servers.require("PostgreSQL", "127.0.0.1", 5432);
    }

    @Override String system() { return "postgresql"; }
    @Override String url() { return "jdbc:postgresql://127.0.0.1:5432/test"; }
    @Override String user() { return "postgres"; }
    @Override String password() { return ""; }
    @Override String host() { return "127.0.0.1:5432"; }
    @Override String db() { return "test"; }
    @Override String refusedUrl() {
        return "jdbc:postgresql://127.0.0.1:5432/test?user=rpct_no_such_role&password=" + WRONG_PASSWORD;
    }
    @Override String closedPortUrl() { return "jdbc:postgresql://127.0.0.1:1/test?connectTimeout=2"; }
}
