package io.rpctrace.it.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A second caller module ({@code user_dao_find}); a negative id runs a statement that fails. */
final class UserDao {
    private UserDao() {
    }

    static String find(Connection c, long id) throws SQLException {
        String sql = id < 0 ? "select name from rpctrace_no_such_table where id = ?" : "select concat('user-', ?) as name";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
