package io.rpctrace.viewer;

import java.util.ArrayList;
import java.util.List;

/**
 * A realistic checkout trace across five services (HTTP, gRPC, MySQL, Redis, Kafka, tasks,
 * a failed query that is retried), used for the HTML screenshot and the docs.
 */
final class DemoTrace {
    static final String TRACE = "7d3a1c9e52b84f0fa6e2c41b9d08e5f3";
    static final long T0 = 1763888400000L;
    static final String GW = "java-gateway-3.2";
    static final String ORDER = "java-order-1.4";
    static final String STOCK = "java-inventory-2.0";
    static final String PAY = "java-payment-1.1";
    static final String NOTIFY = "java-notify-0.9";

    /** Lines per service, each list one service's log file. */
    static List<List<String>> files() {
        List<String> gw = new ArrayList<>();
        List<String> order = new ArrayList<>();
        List<String> stock = new ArrayList<>();
        List<String> pay = new ArrayList<>();
        List<String> notify = new ArrayList<>();
        gw.add(r("request.info", "0.1", GW, 0, 0.3124).action("POST /api/checkout").code("200").put("x_client_ip", "203.0.113.7").line());
        gw.add(r("redis.request", "0.2", GW, 2, 0.0009).action("GET session:9f2c").code("OK").put("x_host", "10.0.3.11:6379").line());
        gw.add(r("http.post", "0.3", GW, 4, 0.3015).action("http://order.svc:8080/orders").code("200").put("x_host", "10.0.2.21:8080").line());
        order.add(r("request.info", "0.3.1", ORDER, 6, 0.2962).action("POST /orders").code("200").put("x_server_ip", "10.0.2.21:8080").line());
        order.add(r("mysql.request", "0.3.2", ORDER, 8, 0.0041).action("select * from carts where user_id = ?").code("0").put("x_db", "shop").line());
        order.add(r("redis.request", "0.3.3", ORDER, 13, 0.0007).action("HGETALL price:sku-42").code("OK").line());
        order.add(r("http.post", "0.3.4", ORDER, 15, 0.0712).action("http://inventory.svc:8080/reserve").code("200").line());
        stock.add(r("request.info", "0.3.4.1", STOCK, 18, 0.0651).action("POST /reserve").code("200").line());
        stock.add(r("log.info", "0.3.4.1", STOCK, 19, -1).put("x_module", "reserve").msg("reserving 2 x sku-42").line());
        stock.add(r("mysql.request", "0.3.4.2", STOCK, 21, 0.0183).action("select qty from stock where sku = ? for update").code("0").put("x_db", "inventory").line());
        stock.add(r("mysql.request", "0.3.4.3", STOCK, 41, 0.0375).action("update stock set qty = qty - ? where sku = ?").code("0").put("x_db", "inventory").line());
        order.add(r("grpc.request", "0.3.5", ORDER, 88, 0.1513).action("payment.PaymentService/Charge").code("OK").line());
        pay.add(r("request.info", "0.3.5.1", PAY, 91, 0.1462).action("payment.PaymentService/Charge").code("OK").line());
        pay.add(r("http.post", "0.3.5.2", PAY, 93, 0.0884).action("https://api.psp.example/v1/charges").code("201").line());
        pay.add(r("mysql.request.error", "0.3.5.3", PAY, 183, 0.0221).action("insert into payments (order_id, amount) values (?, ?)").code("1213")
                .msg("Deadlock found when trying to get lock; try restarting transaction")
                .put("x_backtrace", "java.sql.SQLTransactionRollbackException: Deadlock found when trying to get lock\n\tat com.mysql.cj.jdbc.ClientPreparedStatement.executeUpdate(ClientPreparedStatement.java:1061)\n\tat io.shop.payment.PaymentDao.insert(PaymentDao.java:88)").line());
        pay.add(r("log.warn", "0.3.5.1", PAY, 206, -1).put("x_module", "payment_dao").msg("deadlock on insert, retrying once").line());
        pay.add(r("mysql.request", "0.3.5.4", PAY, 207, 0.0289).action("insert into payments (order_id, amount) values (?, ?)").code("0").line());
        order.add(r("redis.request", "0.3.6.2", ORDER, 241, 0.0011).action("DEL cart:9f2c").code("1").line());
        order.add(r("mysql.request", "0.3.7.2", ORDER, 241, 0.0096).action("insert into order_audit values (?, ?, ?)").code("0").line());
        order.add(r("kafka.produce", "0.3.8", ORDER, 253, 0.0035).action("orders.created").code("0").line());
        notify.add(r("kafka.consume", "0.3.8.1", NOTIFY, 262, 0.0408).action("orders.created").code("0").line());
        notify.add(r("http.post", "0.3.8.2", NOTIFY, 265, 0.0343).action("https://mail.example/v3/send").code("202").line());
        order.add(r("mysql.request", "0.3.9", ORDER, 258, 0.0412).action("update orders set status = 'PLACED' where id = ?").code("0").line());
        order.add(r("log.info", "0.3.9", ORDER, 300, -1).put("x_module", "order_api").msg("order 88412 placed").line());
        List<List<String>> out = new ArrayList<>();
        out.add(gw);
        out.add(order);
        out.add(stock);
        out.add(pay);
        out.add(notify);
        return out;
    }

    private static Rec r(String name, String id, String service, long offsetMs, double durationS) {
        return Rec.of(name, TRACE, id).version(service).at(T0 + offsetMs, durationS);
    }

    private DemoTrace() {
    }
}
