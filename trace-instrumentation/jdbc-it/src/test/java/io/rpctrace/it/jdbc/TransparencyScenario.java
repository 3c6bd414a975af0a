package io.rpctrace.it.jdbc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

/**
 * What an application sees from each driver (results, update counts, batch results,
 * exceptions), printed as {@code OUT} lines: the same with and without the agent.
 */
public final class TransparencyScenario {
    private TransparencyScenario() {
    }

    public static void main(String[] args) throws Exception {
        run("h2", "jdbc:h2:mem:transparency;DB_CLOSE_DELAY=-1", "sa", "");
        run("mariadb", "jdbc:mariadb://127.0.0.1:3306/test", "root", "");
        run("connectorj", "jdbc:mysql://127.0.0.1:3306/test?useSSL=false", "root", "");
        run("postgresql", "jdbc:postgresql://127.0.0.1:5432/test", "postgres", "");
    }

    private static void run(String name, String url, String user, String password) {
        String table = "rpct_transparency_" + name;
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            try (Statement s = c.createStatement()) {
                s.execute("drop table if exists " + table);
                out(name, "create", s.execute("create table " + table + " (id int primary key, v varchar(20))"));
                out(name, "update count", s.executeUpdate("insert into " + table + " values (1, 'one')"));
                s.addBatch("insert into " + table + " values (2, 'two')");
                s.addBatch("insert into " + table + " values (3, 'three')");
                out(name, "batch", Arrays.toString(s.executeBatch()));
            }
            try (PreparedStatement ps = c.prepareStatement("select v from " + table + " where id >= ? order by id")) {
                ps.setInt(1, 2);
                StringBuilder rows = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.append(rs.getString(1)).append(' ');
                    }
                }
                out(name, "rows", rows);
            }
            try (PreparedStatement ps = c.prepareStatement("update " + table + " set v = ? where id = ?")) {
                ps.setString(1, "x");
                ps.setInt(2, 1);
                ps.addBatch();
                ps.setString(1, "y");
                ps.setInt(2, 99);
                ps.addBatch();
                out(name, "prepared batch", Arrays.toString(ps.executeBatch()));
            }
            try (Statement s = c.createStatement()) {
                s.executeQuery("select nope from " + table);
            } catch (SQLException e) {
                out(name, "bad sql", e.getClass().getName() + " " + e.getSQLState() + " " + e.getErrorCode() + " "
                        + e.getMessage());
            }
        } catch (SQLException e) {
            out(name, "unexpected", e);
        }
        try {
            DriverManager.getConnection(url.replace("transparency", "transparency_refused;IFEXISTS=TRUE"),
                    name.equals("postgresql") ? "rpct_no_such_role" : user, "wrong").close();
            out(name, "refused", "connected?");
        } catch (SQLException e) {
            out(name, "refused", e.getClass().getName() + " " + e.getSQLState() + " " + e.getErrorCode());
        }
    }

    private static void out(String name, String what, Object value) {
        System.out.println("OUT " + name + " " + what + ": " + value);
    }
}
