package io.rpctrace.testing.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Raw loopback sockets that misbehave the way real peers do (not instrumented: no HTTP
 * library). One per {@link Mode}; they live as long as the test JVM.
 */
public final class FaultyServer implements AutoCloseable {
    /** How the server misbehaves. */
    public enum Mode {
        /** Reads the request, then closes cleanly before any response byte (curl's error 52). */
        EMPTY_REPLY,
        /** Reads the request, then resets the connection (SO_LINGER 0). */
        RESET,
        /** Accepts and never answers. */
        HANG,
        /** Answers plain HTTP at once, whatever comes (a TLS client gets garbage for a ServerHello). */
        PLAIN_HTTP,
    }

    private final ServerSocket socket;
    private final Mode mode;
    private final List<Socket> held = new ArrayList<>();
    private final Thread acceptor;

    /** Listens on 127.0.0.1 and a free port, misbehaving as {@code mode} says. */
    public FaultyServer(Mode mode) {
        this.mode = mode;
        try {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = new Thread(this::acceptLoop, "faulty-" + mode);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Its port. */
    public int port() {
        return socket.getLocalPort();
    }

    /** A port nothing listens on: bound once, then closed. */
    public static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread t = new Thread(() -> serve(s), "faulty-conn-" + mode);
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try {
            switch (mode) {
                case EMPTY_REPLY:
                    readHead(s.getInputStream());
                    s.shutdownOutput();
                    Backend.sleep(200);
                    s.close();
                    break;
                case RESET:
                    readHead(s.getInputStream());
                    s.setSoLinger(true, 0);
                    s.close();
                    break;
                case HANG:
                    synchronized (held) {
                        held.add(s);
                    }
                    break;
                case PLAIN_HTTP:
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    Backend.sleep(200);
                    s.close();
                    break;
                default:
                    s.close();
            }
        } catch (IOException e) {
            // the client went away: fine for a faulty server
        }
    }

    /** Reads up to the blank line that ends the request head. */
    private static void readHead(InputStream in) throws IOException {
        int state = 0;
        int b;
        while ((b = in.read()) >= 0) {
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3))
                    ? state + 1 : 0;
            if (state == 4) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        synchronized (held) {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
