package io.rpctrace.it.redisson;

import static io.rpctrace.testing.ScenarioSteps.saw;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.Servers;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RBucket;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;

/**
 * Runs in a child JVM, with or without the agent: a private {@code redis-server} on a free port,
 * used from one request through Redisson (timeout 1 s, no retries); then paused
 * ({@code CLIENT PAUSE}, sent on a socket of its own: Redisson's command times out) and killed
 * ({@code SIGKILL}: the next command fails to be written). Prints what the application saw, one
 * {@code SAW <step> <outcome>} line per call, and {@code TRACE <id>}.
 */
public final class FaultScenario {
    static final String REDIS_SERVER = "/usr/bin/redis-server";

    public static void main(String[] args) throws Exception {
        int port = freePort();
        Path dir = Files.createTempDirectory("rpctrace-redisson-fault");
        Process server = startServer(port, dir);
        try {
            RedissonClient client = connect(port);
            RBucket<String> bucket = client.getBucket("fault:k", StringCodec.INSTANCE);
            saw("warm-up", bucket::isExists);   // outside the request: classes loaded (and instrumented)
            try (Span req = Trace.enter(null, null)) {
                saw("set", () -> {                                                         // 0.2
                    bucket.set("v1");
                    return "ok";
                });
                saw("get", bucket::get);                                                   // 0.3
                pause(port, 3000);
                saw("get-while-paused", bucket::get);                                      // 0.4 times out
                Thread.sleep(3000);
                server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                saw("get-after-kill", bucket::get);                                        // 0.5
                System.out.println("TRACE " + req.traceId());
            }
            client.shutdown(0, 1, TimeUnit.SECONDS);
        } finally {
            stop(server, dir);
        }
        System.exit(0);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A private redis-server on {@code port}, its files in {@code dir}, ready to serve. */
    static Process startServer(int port, Path dir) throws IOException, InterruptedException {
        Process server = new ProcessBuilder(REDIS_SERVER, "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Servers.reachable("127.0.0.1", port) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return server;
    }

    /** The server killed, its directory removed. */
    static void stop(Process server, Path dir) throws IOException, InterruptedException {
        server.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        File[] files = dir.toFile().listFiles();
        for (File f : files == null ? new File[0] : files) {
            Files.delete(f.toPath());
        }
        Files.delete(dir);
    }

    /**
     * A client that fails fast: a 1 s response timeout and no retries (connects may take their
     * time: a child JVM with the agent starts on a loaded machine).
     */
    static RedissonClient connect(int port) {
        Config config = new Config();
        config.useSingleServer().setAddress("redis://127.0.0.1:" + port).setConnectionMinimumIdleSize(1)
                .setConnectionPoolSize(2).setSubscriptionConnectionMinimumIdleSize(0).setTimeout(1000)
                .setConnectTimeout(10_000).setRetryAttempts(0).setRetryInterval(100);
        return Redisson.create(config);
    }

    /** {@code CLIENT PAUSE ms}: the server leaves every client's commands unanswered until then. */
    private static void pause(int port, int ms) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            out.write(("CLIENT PAUSE " + ms + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = new byte[5];
            int n = in.read(reply);   // +OK
            if (n <= 0 || reply[0] != '+') {
                throw new IllegalStateException("CLIENT PAUSE was not accepted");
            }
        }
    }
}
