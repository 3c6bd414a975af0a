package io.rpctrace.it.jdbc;

import io.rpctrace.testing.Servers;
import org.junit.jupiter.api.BeforeAll;

/** MariaDB through MySQL Connector/J (com.mysql.cj). */
class MySqlConnectorTest extends JdbcContract {
    @BeforeAll
    static void server() {
        Servers.require("MariaDB", "127.0.0.1", 3306);
    }

    @Override String system() { return "mysql"; }
    @Override String url() { return "jdbc:mysql://127.0.0.1:3306/test?useSSL=false&allowPublicKeyRetrieval=true"; }
    @Override String user() { return "root"; }
    @Override String password() { return ""; }
    @Override String host() { return "127.0.0.1:3306"; }
    @Override String db() { return "test"; }
    @Override String refusedUrl() {
        return "jdbc:mysql://127.0.0.1:3306/test?useSSL=false&user=root&password=" + WRONG_PASSWORD;
    }
    @Override String closedPortUrl() { return "jdbc:mysql://127.0.0.1:1/test?connectTimeout=2000"; }
}
