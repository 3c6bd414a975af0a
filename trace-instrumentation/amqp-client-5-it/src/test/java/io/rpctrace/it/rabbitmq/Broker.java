package io.rpctrace.it.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.rpctrace.testing.Servers;

/** The RabbitMQ server of this machine (127.0.0.1:5672, guest/guest; CI starts the machine's services before the tests, see .ci/run). */
final class Broker {
    static final String HOST = "127.0.0.1";
    static final int PORT = 5672;

    private Broker() {
    }

    /** Skips the test without the server (fails it with CI=true), else a new connection. */
    static Connection connect() throws Exception {
        Servers.require("RabbitMQ", HOST, PORT);
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(HOST);
        f.setPort(PORT);
        f.setUsername("guest");
        f.setPassword("guest");
        return f.newConnection("rpctrace-it");
    }

    /** A server-named, exclusive, auto-deleted queue on {@code ch}. */
    static String queue(Channel ch) throws Exception {
        return ch.queueDeclare("", false, true, true, null).getQueue();
    }

    /** basicGet until a message is there (a publish is asynchronous), at most 5 s. */
    static GetResponse get(Channel ch, String queue, boolean autoAck) throws Exception {
        long end = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < end) {
            GetResponse r = ch.basicGet(queue, autoAck);
            if (r != null) {
                return r;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no message on " + queue + " within 5 s");
    }
}
