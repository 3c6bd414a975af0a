package com.shop.dao;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Supplier;

/** Orders in H2. */
public class OrderDao {
    private final Connection connection;
    private int count;

    public OrderDao(Connection connection) {
        this.connection = connection;
    }

    public void createTable() throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute("create table orders (id identity primary key, item varchar(64), qty int, total int)");
        }
    }

    public long insert(String item, int qty, int total) throws SQLException {
        Supplier<String> sql = () -> insertSql();
        try (PreparedStatement ps = connection.prepareStatement(sql.get(), Statement.RETURN_GENERATED_KEYS)) {
            ps.setString(1, item);
            ps.setInt(2, qty);
            ps.setInt(3, total);
            ps.executeUpdate();
            count++;
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    private String insertSql() {
        return "insert into orders (item, qty, total) values (?, ?, ?)";
    }

    public int getCount() {
        return count;
    }
}
