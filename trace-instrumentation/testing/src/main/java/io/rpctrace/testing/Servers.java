package io.rpctrace.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;

/**
 * Real servers that integration tests talk to (MariaDB, PostgreSQL, Redis on this machine;
 * in CI {@code .ci/run} checks and starts them first). A missing server skips the test with a
 * one-line reason on a laptop, and fails it in CI ({@code CI=true}), where every server
 * must be up.
 *
 * <pre>{@code
 * @BeforeAll static void server() { Servers.require("mariadb", "127.0.0.1", 3306); }
 * }</pre>
 */
public final class Servers {
    private Servers() {
    }

    /** Skips (or in CI fails) the calling test unless {@code host:port} accepts a TCP connection. */
    public static void require(String what, String host, int port) {
        if (reachable(host, port)) {
            return;
        }
        String reason = what + " is not reachable on " + host + ":" + port + " (start it; in CI .ci/run does)";
        if (inCi()) {
            throw new AssertionError(reason + "; CI=true requires every server");
        }
        Assumptions.abort(reason + "; skipped");
    }

    /** True when {@code CI} is {@code true} in the environment (or the {@code CI} system property). */
    public static boolean inCi() {
        String ci = System.getenv("CI");
        if (ci == null) {
            ci = System.getProperty("CI");
        }
        return ci != null && (ci.equalsIgnoreCase("true") || ci.equals("1"));
    }

    /** True when a TCP connection to {@code host:port} succeeds within a second. */
    public static boolean reachable(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
