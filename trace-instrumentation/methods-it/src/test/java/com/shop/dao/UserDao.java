package com.shop.dao;

import java.util.Optional;

/** Getters, setters, toString and a lambda that patterns leave out. */
public class UserDao {
    private String table;

    public UserDao(String table) {
        this.table = table;
    }

    public String find(long id) {
        return Optional.of(id).map(i -> key(i)).orElse("none");
    }

    private String key(long id) {
        return table + ":" + id;
    }

    public String getTable() {
        return table;
    }

    public void setTable(String table) {
        this.table = table;
    }

    @Override
    public String toString() {
        return "UserDao(" + table + ")";
    }
}
