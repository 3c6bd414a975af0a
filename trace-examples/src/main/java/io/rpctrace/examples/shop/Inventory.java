package io.rpctrace.examples.shop;

import com.zaxxer.hikari.HikariDataSource;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.rpctrace.Trace;
import io.rpctrace.testing.grpc.StringMethods;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.Map;
import net.spy.memcached.MemcachedClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stock keeper: gRPC {@code shop.Inventory/Reserve} on Netty, stock in its own database
 * (embedded H2 unless {@code SHOP_DB_URL} says otherwise). An unknown product answers
 * {@code NOT_FOUND}, too little stock {@code FAILED_PRECONDITION}. Sold-out products are
 * remembered for a minute in memcached (spymemcached) when one answers on 127.0.0.1:11211, so
 * that asking for them again does not reach the database.
 */
public final class Inventory {
    private static final Logger log = LoggerFactory.getLogger(Inventory.class);

    private static final int SOLD_OUT_SECONDS = 60;

    private final HikariDataSource db;
    private final MemcachedClient soldOut;   // null when no memcached answers

    private Inventory(HikariDataSource db, MemcachedClient soldOut) {
        this.db = db;
        this.soldOut = soldOut;
    }

    public static void main(String[] args) throws Exception {
        HikariDataSource db = Databases.open("inventory", "jdbc:h2:mem:inventory;DB_CLOSE_DELAY=-1");
        Databases.run(db,
                "create table if not exists shop_stock (sku varchar(32) primary key, qty int)",
                "delete from shop_stock",
                "insert into shop_stock values ('book', 1000000000)",
                "insert into shop_stock values ('mug', 1000000000)",
                "insert into shop_stock values ('lamp', 0)");
        Inventory inventory = new Inventory(db, memcached());
        ServerServiceDefinition service = StringMethods.service(Shop.RESERVE, inventory::reserve);
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", Shop.port("inventory")))
                .addService(service).build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdown, "inventory-shutdown"));
        log.info("inventory listening on 127.0.0.1:{}", server.getPort());
        System.out.println(Shop.READY);
        server.awaitTermination();   // gRPC's threads are daemons: main keeps the JVM up
    }

    /** A memcached on 127.0.0.1:11211 if one accepts a connection within 300 ms; null (and one line) otherwise. */
    private static MemcachedClient memcached() throws IOException {
        String host = Shop.setting("memcache.host", "127.0.0.1");
        int port = Integer.parseInt(Shop.setting("memcache.port", "11211"));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 300);
        } catch (IOException e) {
            System.out.println("inventory: no memcached on " + host + ":" + port + ", sold-out cache skipped");
            return null;
        }
        return new MemcachedClient(Collections.singletonList(new InetSocketAddress(host, port)));
    }

    private void reserve(String request, StreamObserver<String> out) {
        Map<String, String> req = Shop.parse(request);
        String sku = req.getOrDefault("sku", "");
        int qty = Integer.parseInt(req.getOrDefault("qty", "1"));
        log.debug("reserve {} x {}", qty, sku);
        if (soldOut != null && soldOut.get("rpctrace-demo:soldout:" + sku) != null) {
            log.warn("out of stock: {} (remembered)", sku);
            out.onError(Status.FAILED_PRECONDITION.withDescription(sku + " is out of stock").asRuntimeException());
            return;
        }
        try (Connection c = db.getConnection()) {
            int left;
            try (PreparedStatement ps = c.prepareStatement("select qty from shop_stock where sku = ?")) {
                ps.setString(1, sku);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        out.onError(Status.NOT_FOUND.withDescription("no product " + sku).asRuntimeException());
                        return;
                    }
                    left = rs.getInt(1);
                }
            }
            log.debug("{} in stock: {}", sku, left);
            if (left < qty) {
                log.warn("out of stock: {} (wanted {}, have {})", sku, qty, left);
                if (soldOut != null && left == 0) {
                    soldOut.set("rpctrace-demo:soldout:" + sku, SOLD_OUT_SECONDS, "0");
                }
                out.onError(Status.FAILED_PRECONDITION.withDescription(sku + " is out of stock").asRuntimeException());
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("update shop_stock set qty = qty - ? where sku = ? and qty >= ?")) {
                ps.setInt(1, qty);
                ps.setString(2, sku);
                ps.setInt(3, qty);
                ps.executeUpdate();
            }
            Trace.info("inventory_reserve", "reserved " + qty + " x " + sku);
            out.onNext(Shop.json("sku", sku, "left", left - qty));
            out.onCompleted();
        } catch (SQLException e) {
            log.error("stock lookup failed", e);
            out.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asRuntimeException());
        }
    }
}
