package io.rpctrace.it.rabbitmq;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rpctrace.Trace;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The shop of the end-to-end tests: a JDK {@code HttpServer} (recorded by the agent) on a free
 * port whose {@code /order} runs the test's order action and answers {@code queued}, and whose
 * {@code /bill} answers the rpc id it was served under.
 */
final class Shop implements AutoCloseable {
    interface Order {
        void place() throws IOException;
    }

    private final HttpServer server;

    private Shop(HttpServer server) {
        this.server = server;
    }

    static Shop start(Order order) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/order", ex -> {
            order.place();
            respond(ex, "queued");
        });
        server.createContext("/bill", ex -> respond(ex, Trace.rpcId()));
        server.start();
        return new Shop(server);
    }

    int port() {
        return server.getAddress().getPort();
    }

    String billUrl() {
        return "http://127.0.0.1:" + port() + "/bill";
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void respond(HttpExchange ex, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }
}
