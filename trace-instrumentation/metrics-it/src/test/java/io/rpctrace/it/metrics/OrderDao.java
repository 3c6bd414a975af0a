package io.rpctrace.it.metrics;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A caller module of its own: its queries are {@code x_module = order_dao_find}. */
final class OrderDao {
    private OrderDao() {
    }

    static long find(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select ? + 1 as next_id")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
