package io.rpctrace.shipping.app;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Peers that fail the way networks do, on loopback: a port nobody listens on, a server that
 * closes before answering (EMPTY_REPLY) and one that resets the connection (CONNECTION_RESET).
 */
final class FaultyPeers implements AutoCloseable {
    private final ServerSocket empty;
    private final ServerSocket reset;
    private final int refused;

    private FaultyPeers(ServerSocket empty, ServerSocket reset, int refused) {
        this.empty = empty;
        this.reset = reset;
        this.refused = refused;
    }

    static FaultyPeers start() throws IOException {
        int refused;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            refused = s.getLocalPort();
        }
        FaultyPeers p = new FaultyPeers(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()),
                new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), refused);
        serve(p.empty, false);
        serve(p.reset, true);
        return p;
    }

    private static void serve(ServerSocket server, boolean reset) {
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    s.getInputStream().read(new byte[4096]); // the request arrived
                    if (reset) {
                        s.setSoLinger(true, 0); // close() now sends RST
                    }
                } catch (IOException e) {
                    // closed: done
                }
            }
        }, reset ? "reset-peer" : "empty-reply-peer");
        t.setDaemon(true);
        t.start();
    }

    int refusedPort() {
        return refused;
    }

    int emptyReplyPort() {
        return empty.getLocalPort();
    }

    int resetPort() {
        return reset.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        empty.close();
        reset.close();
    }
}
