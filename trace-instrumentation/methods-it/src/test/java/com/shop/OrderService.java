package com.shop;

import com.shop.dao.OrderDao;
import java.sql.SQLException;

/** The domain: places, cancels and refunds orders. */
public class OrderService {
    private final OrderDao orders;
    private final PriceClient prices;

    public OrderService(OrderDao orders, PriceClient prices) {
        this.orders = orders;
        this.prices = prices;
    }

    public long place(String item, int qty) throws SQLException {
        int price = prices.quote(item);
        return orders.insert(item, qty, price * qty);
    }

    public void cancel(long id) {
        throw new IllegalStateException("order " + id + " already shipped");
    }

    public String refund(long id) {
        return "refund-" + id;
    }
}
