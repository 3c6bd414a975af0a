package io.rpctrace.it.memcache;

import static io.rpctrace.testing.ScenarioSteps.saw;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.Servers;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs in a child JVM, with or without the agent: starts a private memcached on a free port,
 * uses it from one request, kills it mid-run ({@code SIGKILL}) and goes on using it. Prints
 * what the application saw, one {@code SAW <step> <outcome>} line per call, and
 * {@code TRACE <id>}. Args: the client kind.
 */
public final class FaultScenario {
    static final String MEMCACHED = "/usr/bin/memcached";

    public static void main(String[] args) throws Exception {
        String kind = args[0];
        int port = freePort();
        Process server = start(port);
        try (Span req = Trace.enter(null, null);
             MemcacheClient c = MemcacheClient.open(kind, "127.0.0.1", port, 500)) {
            saw("set", () -> {
                c.set("fault:k", "v1");
                return "ok";
            });
            saw("get", () -> c.get("fault:k"));
            server.destroyForcibly();
            server.waitFor();
            Thread.sleep(300);
            saw("get-after-kill", () -> c.get("fault:k"));
            saw("set-after-kill", () -> {
                c.set("fault:k", "v2");
                return "ok";
            });
            System.out.println("TRACE " + req.traceId());
        } finally {
            server.destroyForcibly();
        }
        System.exit(0);   // the clients' reconnect threads would keep the JVM alive
    }

    /** A memcached of its own on {@code port}, ready to serve. */
    static Process start(int port) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(MEMCACHED, "-p", String.valueOf(port), "-l", "127.0.0.1", "-U", "0",
                "-m", "16"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add("-u");
            cmd.add("root");   // memcached refuses to run as root otherwise
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!Servers.reachable("127.0.0.1", port)) {
            if (System.nanoTime() > deadline || !p.isAlive()) {
                p.destroyForcibly();
                throw new IllegalStateException("memcached did not start on port " + port);
            }
            Thread.sleep(20);
        }
        return p;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
