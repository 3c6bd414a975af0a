package io.rpctrace.examples.shop;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The services' connection pools: embedded H2 unless {@code SHOP_DB_URL} names another database. */
final class Databases {
    private Databases() {
    }

    static HikariDataSource open(String pool, String defaultUrl) {
        HikariConfig c = new HikariConfig();
        c.setPoolName(pool);
        c.setJdbcUrl(Shop.setting("db.url", defaultUrl));
        c.setUsername(Shop.setting("db.user", "sa"));
        c.setPassword(Shop.setting("db.password", ""));
        c.setMaximumPoolSize(4);
        c.setConnectionTimeout(5000);
        return new HikariDataSource(c);
    }

    static void run(HikariDataSource db, String... statements) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }
}
