package io.rpctrace.viewer;

import java.util.Arrays;
import java.util.List;

/**
 * The worked example of docs/model.md#ids as two services' log lines: A serves /orders, queries MySQL,
 * calls B over HTTP (B logs and queries Redis), logs, then runs two tasks that query MySQL;
 * the second query fails.
 */
final class WorkedExample {
    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final long T0 = 1763800000100L;
    static final String A = "java-order-1.4";
    static final String B = "java-inventory-2.0";

    static List<String> serviceA() {
        return Arrays.asList(
                Rec.of("mysql.request", TRACE, "0.2").version(A).at(T0 + 1, 0.005).action("select * from orders where id = ?").code("0").line(),
                Rec.of("http.post", TRACE, "0.3").version(A).at(T0 + 7, 0.040).action("http://inventory:8080/reserve").code("200").line(),
                Rec.of("log.info", TRACE, "0.3").version(A).at(T0 + 48, -1).put("x_module", "order_api").msg("order created").line(),
                Rec.of("mysql.request", TRACE, "0.4.2").version(A).at(T0 + 50, 0.012).action("insert into audit values (?)").code("0").line(),
                Rec.of("mysql.request.error", TRACE, "0.5.2").version(A).at(T0 + 51, 0.013).action("update stock set n = n - 1").code("1213").msg("Deadlock found when trying to get lock").line(),
                Rec.of("request.info", TRACE, "0.1").version(A).at(T0, 0.120).action("POST /orders").code("200").line());
    }

    static List<String> serviceB() {
        return Arrays.asList(
                Rec.of("log.info", TRACE, "0.3.1").version(B).at(T0 + 12, -1).put("x_module", "reserve").msg("reserving 2 items").line(),
                Rec.of("redis.request", TRACE, "0.3.2").version(B).at(T0 + 15, 0.002).action("DECRBY stock:42 2").code("OK").line(),
                Rec.of("request.info", TRACE, "0.3.1").version(B).at(T0 + 10, 0.034).action("POST /reserve").code("200").line());
    }

    private WorkedExample() {
    }
}
