package com.shop.dao.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** In a sub-package: com.shop.dao.* does not name it. */
public final class JdbcSupport {
    private JdbcSupport() {
    }

    public static Connection open() throws SQLException {
        return DriverManager.getConnection("jdbc:h2:mem:shop;DB_CLOSE_DELAY=-1", "sa", "");
    }
}
