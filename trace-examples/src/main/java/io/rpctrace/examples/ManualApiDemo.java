package io.rpctrace.examples;

import io.rpctrace.Counter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The manual API end to end in one JVM: an "order" service serves a request, queries a
 * database, calls an "inventory" service (entered with the ids it was sent), runs two
 * tasks in parallel and fails one call. Records go to {@code ./logs/<service>.trace.log}.
 */
public final class ManualApiDemo {
    private static final Counter ORDERS = Trace.counter("orders_created");

    private ManualApiDemo() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorService pool = Trace.wrap(Executors.newFixedThreadPool(2));
        String traceId;
        try (Span request = Trace.enter(null, null).action("POST /orders").clientIp("127.0.0.1")) {
            traceId = request.traceId();
            try (Span q = Trace.call("mysql.request").action("select * from orders where id = ?")
                    .host("127.0.0.1:3306").db("shop").code("0")) {
                Thread.sleep(2);
                q.responseLen(1);
            }
            try (Span http = Trace.call("http.post").action("http://inventory/reserve").host("127.0.0.1:8081")) {
                inventory(request.traceId(), http.rpcId());
                http.code("200");
            }
            Trace.info("order_api", "order reserved");
            pool.submit(() -> query("select count(*) from order_items where order_id = ?")).get();
            pool.submit(() -> query("select * from customers where id = ?")).get();
            try (Span redis = Trace.call("redis.request").action("GET order:42").host("127.0.0.1:6379")) {
                redis.error(new java.net.SocketTimeoutException("Read timed out"));
            }
            ORDERS.increment();
            request.code("200");
        }
        pool.shutdown();
        pool.awaitTermination(5, TimeUnit.SECONDS);
        System.out.println("trace id: " + traceId);
        System.out.println("records:  " + System.getProperty("rpctrace.log.dir", "./logs") + "/"
                + System.getProperty("rpctrace.service", "manualapidemo") + ".trace.log");
    }

    /** The callee: enters with the ids the caller sent (docs/model.md#rule-1). */
    private static void inventory(String traceId, String rpcId) throws InterruptedException {
        Thread callee = new Thread(() -> {
            try (Span served = Trace.enter(traceId, rpcId).action("/reserve")) {
                Trace.info("inventory_api", "reserving 1 item");
                try (Span r = Trace.call("redis.request").action("DECR stock:7")) {
                    r.code("OK");
                }
                served.code("200");
            }
        });
        callee.start();
        callee.join();
    }

    private static void query(String sql) {
        try (Span q = Trace.call("mysql.request").action(sql).db("shop")) {
            q.code("0");
        }
    }
}
