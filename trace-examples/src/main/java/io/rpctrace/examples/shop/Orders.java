package io.rpctrace.examples.shop;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariDataSource;
import io.grpc.CallOptions;
import io.grpc.ConnectivityState;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.rpctrace.Counter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.JedisPooled;

/**
 * {@code POST /orders} {"sku":"book","qty":1}: looks the product and the customer's history up
 * in parallel (JDBC through HikariCP: embedded H2, or {@code SHOP_DB_URL} for MariaDB /
 * PostgreSQL), reserves stock at the inventory over gRPC, saves the order, caches it in Redis
 * when one answers on 127.0.0.1:6379, and publishes {@code order.created} to Kafka.
 */
public final class Orders {
    private static final Logger log = LoggerFactory.getLogger(Orders.class);
    private static final Counter CREATED = Trace.counter("orders_created");

    private final HikariDataSource db;
    private final ManagedChannel inventory;
    private final KafkaProducer<String, String> events;
    private final JedisPooled cache;   // null when no Redis answers
    private final ExecutorService lookups = Executors.newFixedThreadPool(4);

    private Orders(HikariDataSource db, ManagedChannel inventory, KafkaProducer<String, String> events, JedisPooled cache) {
        this.db = db;
        this.inventory = inventory;
        this.events = events;
        this.cache = cache;
    }

    public static void main(String[] args) throws Exception {
        HikariDataSource db = Databases.open("orders", "jdbc:h2:mem:orders;DB_CLOSE_DELAY=-1");
        Databases.run(db,
                "create table if not exists shop_products (sku varchar(32) primary key, name varchar(64), price_cents int)",
                "create table if not exists shop_orders (id varchar(36) primary key, customer varchar(64), sku varchar(32),"
                        + " qty int, total_cents bigint)",
                "create index if not exists shop_orders_customer on shop_orders (customer)",
                "delete from shop_products",
                "insert into shop_products values ('book', 'The Art of Tracing', 2900)",
                "insert into shop_products values ('mug', 'RPCID mug', 1200)",
                "insert into shop_products values ('lamp', 'Desk lamp', 4500)");
        ManagedChannel inventory = Grpc.newChannelBuilder("127.0.0.1:" + Shop.port("inventory"),
                InsecureChannelCredentials.create()).build();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Shop.setting("kafka", "127.0.0.1:9092"));
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        KafkaProducer<String, String> events = new KafkaProducer<>(p);
        // Ready means the dependencies answer: connect now rather than on the first order.
        awaitConnected(inventory, 90);
        awaitTopic(events, 90);
        Orders orders = new Orders(db, inventory, events, redis());

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Shop.port("orders")), 64);
        server.createContext("/orders", orders::handle);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        log.info("orders listening on {}", server.getAddress());
        System.out.println(Shop.READY);
    }

    private static void awaitConnected(ManagedChannel channel, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        ConnectivityState state;
        while ((state = channel.getState(true)) != ConnectivityState.READY) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("inventory is not reachable (" + state + ")");
            }
            CountDownLatch changed = new CountDownLatch(1);
            channel.notifyWhenStateChanged(state, changed::countDown);
            changed.await(1, TimeUnit.SECONDS);
        }
    }

    private static void awaitTopic(KafkaProducer<String, String> producer, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            try {
                producer.partitionsFor(Shop.ORDER_CREATED);
                return;
            } catch (KafkaException e) {   // broker still starting, or the topic not created yet
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(200);
            }
        }
    }

    /** A Redis on 127.0.0.1:6379 if one accepts a connection within 300 ms; null (and one line) otherwise. */
    private static JedisPooled redis() {
        String host = Shop.setting("redis.host", "127.0.0.1");
        int port = Integer.parseInt(Shop.setting("redis.port", "6379"));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 300);
        } catch (IOException e) {
            System.out.println("orders: no Redis on " + host + ":" + port + ", order cache skipped");
            return null;
        }
        return new JedisPooled(host, port);
    }

    private void handle(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String customer = ex.getRequestHeaders().getFirst("X-Customer");
        try {
            Map<String, String> req = Shop.parse(body);
            String sku = req.getOrDefault("sku", "");
            int qty = Integer.parseInt(req.getOrDefault("qty", "1"));
            String answer = place(customer == null ? "guest" : customer, sku, qty);
            reply(ex, 201, answer);
        } catch (Rejected e) {
            log.warn("order rejected: {}", e.getMessage());
            reply(ex, e.status, Shop.json("error", e.getMessage()));
        } catch (Exception e) {
            log.error("order failed", e);
            reply(ex, 500, Shop.json("error", String.valueOf(e.getMessage())));
        }
    }

    private String place(String customer, String sku, int qty) throws Exception {
        log.debug("placing order: customer={} sku={} qty={}", customer, sku, qty);
        // Two independent lookups at once, on the pool's threads.
        CompletableFuture<long[]> product = CompletableFuture.supplyAsync(() -> price(sku), lookups);
        CompletableFuture<Long> history = CompletableFuture.supplyAsync(() -> previousOrders(customer), lookups);
        long[] found;
        long previous;
        try {
            found = product.join();
            previous = history.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
        if (found == null) {
            throw new Rejected(404, "unknown product " + sku);
        }
        log.debug("price of {} is {} cents, {} previous orders", sku, found[0], previous);

        String stock;
        try {
            stock = ClientCalls.blockingUnaryCall(inventory, Shop.RESERVE,
                    CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS), Shop.json("sku", sku, "qty", qty));
        } catch (StatusRuntimeException e) {
            Status.Code code = e.getStatus().getCode();
            throw new Rejected(code == Status.Code.FAILED_PRECONDITION || code == Status.Code.NOT_FOUND ? 409 : 503,
                    "inventory: " + e.getStatus().getDescription());
        }
        log.debug("inventory answered {}", stock);

        String id = UUID.randomUUID().toString();
        long total = found[0] * qty;
        String order = Shop.json("order", id, "customer", customer, "sku", sku, "qty", qty, "total_cents", total);
        try (Span save = Trace.span("order.save").module("orders_save").action(id)) {
            save(id, customer, sku, qty, total);
        }
        if (cache != null) {
            cache.setex("rpctrace-demo:order:" + id, 600, order);
        }
        events.send(new ProducerRecord<>(Shop.ORDER_CREATED, id, order)).get(10, TimeUnit.SECONDS);
        CREATED.increment();
        Trace.info("orders_api", "order " + id + " created: " + qty + " x " + sku);
        log.info("order {} created for {}", id, customer);
        return order;
    }

    /** {price_cents} of the product, or null when there is no such product. */
    private long[] price(String sku) {
        log.debug("looking up product {}", sku);
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select price_cents from shop_products where sku = ?")) {
            ps.setString(1, sku);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new long[] {rs.getLong(1)} : null;
            }
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
    }

    private long previousOrders(String customer) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from shop_orders where customer = ?")) {
            ps.setString(1, customer);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
    }

    private void save(String id, String customer, String sku, int qty, long total) throws SQLException {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into shop_orders values (?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, customer);
            ps.setString(3, sku);
            ps.setInt(4, qty);
            ps.setLong(5, total);
            ps.executeUpdate();
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** An order the shop refuses, with the HTTP status to answer. */
    private static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Rejected(int status, String msg) {
            super(msg);
            this.status = status;
        }
    }
}
