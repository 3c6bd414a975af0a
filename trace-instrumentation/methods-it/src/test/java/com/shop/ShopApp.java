package com.shop;

import com.shop.annotated.AuditLog;
import com.shop.annotated.Reports;
import com.shop.api.ApiHelper;
import com.shop.api.OrderController;
import com.shop.dao.OrderDao;
import com.shop.dao.UserDao;
import com.shop.dao.jdbc.JdbcSupport;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small shop without any rpctrace code (the annotated package aside): an HTTP server whose
 * order endpoint prices an item over HTTP and stores it with JDBC (H2). Prints its results as
 * {@code RESULT ...} lines, which must be the same with and without the agent.
 *
 * <p>Modes: {@code shop} (default), {@code annotated}, {@code fib <n>}, {@code depth <n>},
 * {@code parallel <threads> <calls>}, {@code loop <steps>}.
 */
public final class ShopApp {
    private ShopApp() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length == 0 ? "shop" : args[0];
        switch (mode) {
            case "annotated":
                annotated();
                break;
            case "fib":
                System.out.println("RESULT fib " + new MathService().fib(Integer.parseInt(args[1])));
                break;
            case "depth":
                System.out.println("RESULT depth " + new MathService().depth(Integer.parseInt(args[1])));
                break;
            case "parallel":
                parallel(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
                break;
            case "loop":
                new Worker().run(Integer.parseInt(args[1]));
                break;
            default:
                shop();
        }
    }

    private static void shop() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        server.setExecutor(pool);
        int port = server.getAddress().getPort();
        try (Connection c = JdbcSupport.open()) {
            OrderDao orders = new OrderDao(c);
            orders.createTable();
            OrderService service = new OrderService(orders, new PriceClient("http://127.0.0.1:" + port + "/price"));
            OrderController controller = new OrderController(service);
            server.createContext("/price", ex -> reply(ex, "21"));
            server.createContext("/orders", ex -> {
                String[] q = ex.getRequestURI().getQuery().split("[=&]");
                reply(ex, controller.create(q[1], Integer.parseInt(q[3])));
            });
            server.start();

            System.out.println("RESULT order " + get("http://127.0.0.1:" + port + "/orders?item=book&qty=2"));
            try {
                service.cancel(1);
            } catch (IllegalStateException e) {
                System.out.println("RESULT cancel " + e.getMessage());
            }
            System.out.println("RESULT refund " + service.refund(1));
            Cache cache = new Cache();
            cache.put("k", "v");
            System.out.println("RESULT cache " + cache.get("k") + cache.get("k") + cache.get("x"));
            System.out.println("RESULT helper " + ApiHelper.format(3));
            UserDao users = new UserDao("users");
            System.out.println("RESULT user " + users.find(7) + " " + users.getTable() + " " + users);
            users.setTable("people");
            System.out.println("RESULT table " + users.getTable() + " " + orders.getCount());
        } finally {
            server.stop(0);
            pool.shutdown();
        }
    }

    /** {@code threads} threads at once, each computing fib(4) {@code calls} times. */
    private static void parallel(int threads, int calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.List<java.util.concurrent.Future<Long>> sums = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
            sums.add(pool.submit(() -> {
                start.await();
                long sum = 0;
                for (int i = 0; i < calls; i++) {
                    sum += new MathService().fib(4);
                }
                return sum;
            }));
        }
        start.countDown();
        long total = 0;
        for (java.util.concurrent.Future<Long> f : sums) {
            total += f.get();
        }
        pool.shutdown();
        System.out.println("RESULT parallel " + total);
    }

    private static void annotated() {
        Reports reports = new Reports();
        System.out.println("RESULT daily " + reports.daily());
        System.out.println("RESULT invoice " + reports.invoice(7));
        System.out.println("RESULT hot " + (reports.hot() + reports.hot()));
        AuditLog audit = new AuditLog();
        audit.write("placed");
        System.out.println("RESULT audit " + audit.getSize());
    }

    private static void reply(HttpExchange ex, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    static String get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } finally {
            c.disconnect();
        }
    }
}
