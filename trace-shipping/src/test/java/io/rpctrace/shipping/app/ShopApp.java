package io.rpctrace.shipping.app;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rpctrace.Trace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * The traced application of the shipping tests, run in a child JVM with the packaged agent:
 * two services that call each other, so one trace spans two "hosts" once shipped.
 *
 * <ul>
 *   <li>{@code stock <port>}: serves {@code POST /reserve} (an H2 update and a log line) until
 *       {@code /quit}.</li>
 *   <li>{@code order <port> <stockPort> <requests> [pauseMs [stopFile]]}: serves {@code /orders} (an H2
 *       query, a call to stock, the same log line five times in a row so that identical lines
 *       occur, a counter), {@code /fail} (a failing SQL, 500) and {@code /probe} (calls that fail
 *       with CONNECT_REFUSED, EMPTY_REPLY and CONNECTION_RESET), drives {@code requests} requests
 *       at itself from three client IPs (and more until {@code stopFile} exists, when given),
 *       waits for the metrics, then stops stock and exits.</li>
 * </ul>
 * Prints {@code trace <id>} for every order it placed, {@code failed <id>} for each /fail,
 * {@code unanswered <i>} for a request that got no answer within the read timeout and, last,
 * {@code placed <n>}, the number of orders it placed.
 */
public final class ShopApp {
    private ShopApp() {
    }

    public static void main(String[] args) throws Exception {
        try {
            if (args[0].equals("stock")) {
                stock(Integer.parseInt(args[1]));
            } else {
                order(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                        args.length > 4 ? Long.parseLong(args[4]) : 0, args.length > 5 ? Path.of(args[5]) : null);
            }
        } catch (Throwable t) {
            // the servers' threads would keep the JVM alive until the test's timeout: end it now
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static void stock(int port) throws Exception {
        Connection db = DriverManager.getConnection("jdbc:h2:mem:stock;DB_CLOSE_DELAY=-1");
        try (Statement s = db.createStatement()) {
            s.execute("create table stock(item int primary key, n int)");
            s.execute("insert into stock values (42, 1000000)");
        }
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        Object quit = new Object();
        server.createContext("/reserve", ex -> {
            synchronized (db) {
                try (PreparedStatement ps = db.prepareStatement("update stock set n = n - ? where item = ?")) {
                    ps.setInt(1, 1);
                    ps.setInt(2, 42);
                    ps.executeUpdate();
                } catch (SQLException e) {
                    throw new IOException(e);
                }
            }
            Trace.info("stock_api", "reserved 1 item");
            reply(ex, 200, "{\"reserved\":1}");
        });
        server.createContext("/quit", ex -> {
            reply(ex, 200, "bye");
            synchronized (quit) {
                quit.notifyAll();
            }
        });
        server.start();
        System.out.println("ready");
        synchronized (quit) {
            quit.wait(600_000);
        }
        server.stop(0);
    }

    private static void order(int port, int stockPort, int requests, long pauseMs, Path stopFile) throws Exception {
        Connection db = DriverManager.getConnection("jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1");
        try (Statement s = db.createStatement()) {
            s.execute("create table orders(id int primary key, item int)");
            s.execute("insert into orders values (1, 42)");
        }
        FaultyPeers peers = FaultyPeers.start();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/orders", ex -> {
            synchronized (db) {
                try (PreparedStatement ps = db.prepareStatement("select item from orders where id = ?")) {
                    ps.setInt(1, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                    }
                } catch (SQLException e) {
                    throw new IOException(e);
                }
            }
            call("POST", "http://127.0.0.1:" + stockPort + "/reserve", null);
            for (int i = 0; i < 5; i++) {
                Trace.info("order_api", "order placed"); // identical lines when they share a millisecond
            }
            Trace.counter("orders_created").add(1);
            reply(ex, 200, "{\"trace\":\"" + Trace.traceId() + "\"}");
        });
        server.createContext("/fail", ex -> {
            synchronized (db) {
                try (Statement s = db.createStatement()) {
                    s.executeQuery("select * from no_such_table");
                } catch (SQLException e) {
                    Trace.error("order_api", "cannot read orders: " + e.getSQLState());
                }
            }
            reply(ex, 500, "{\"trace\":\"" + Trace.traceId() + "\"}");
        });
        server.createContext("/probe", ex -> {
            call("GET", "http://127.0.0.1:" + peers.refusedPort() + "/", null);
            call("GET", "http://127.0.0.1:" + peers.emptyReplyPort() + "/", null);
            call("GET", "http://127.0.0.1:" + peers.resetPort() + "/", null);
            reply(ex, 200, "probed");
        });
        server.start();
        String self = "http://127.0.0.1:" + port;
        String[] clients = {"10.0.0.1", "10.0.0.2", "10.0.0.3"};
        int placed = 0;
        for (int i = 0; i < requests || stopFile != null && !Files.exists(stopFile); i++) {
            String client = clients[i % 3 == 0 ? 0 : i % 7 == 0 ? 2 : 1];
            // an answer that is not a trace id: none within the read timeout (a loaded machine); what
            // the services wrote is in the files all the same, and the test compares the files
            String trace = traceOf(call("GET", self + "/orders", client));
            System.out.println(trace != null ? "trace " + trace : "unanswered " + i);
            placed += trace != null ? 1 : 0;
            if (pauseMs > 0) {
                Thread.sleep(pauseMs);
            }
            if (i % 50 == 0) {
                String failed = traceOf(call("GET", self + "/fail", client));
                System.out.println(failed != null ? "failed " + failed : "unanswered /fail " + i);
                call("GET", self + "/probe", client);
            }
        }
        System.out.println("placed " + placed);
        // metric.ip is written one second after its window (ipstats.windows, 2 s) closes
        long window = TimeUnit.SECONDS.toMillis(Long.getLong("shop.ipstats.window.s", 10));
        Thread.sleep(window - System.currentTimeMillis() % window + 2_500);
        call("GET", "http://127.0.0.1:" + stockPort + "/quit", null);
        server.stop(0);
        peers.close();
    }

    /** The id in {@code {"trace":"<id>"}}, or null for any other answer. */
    private static String traceOf(String body) {
        return body.startsWith("{\"trace\":\"") && body.endsWith("\"}") ? body.substring(10, body.length() - 2) : null;
    }

    private static String call(String method, String url, String forwardedFor) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setRequestMethod(method);
            c.setConnectTimeout(2000);
            c.setReadTimeout(30_000);
            if (forwardedFor != null) {
                c.setRequestProperty("X-Forwarded-For", forwardedFor);
            }
            if (method.equals("POST")) {
                c.setDoOutput(true);
                c.getOutputStream().write("{\"item\":42}".getBytes(StandardCharsets.UTF_8));
            }
            int code = c.getResponseCode();
            InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream();
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ""; // the failure is what /probe is for: the agent records it
        }
    }

    private static void reply(HttpExchange ex, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
