package com.shop.api;

import com.shop.OrderService;

/** The order endpoint's logic. */
public class OrderController {
    private final OrderService service;

    public OrderController(OrderService service) {
        this.service = service;
    }

    public String create(String item, int qty) {
        try {
            return "order " + service.place(item, qty);
        } catch (java.sql.SQLException e) {
            return "failed " + e.getSQLState();
        }
    }
}
