package io.rpctrace.it.rocketmq;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real RocketMQ name server and broker ({@link ServerMain}, the Maven Central artifacts) in a
 * child JVM without the agent, on free ports, its store in a temporary directory under
 * {@code target/}. One is {@linkplain #shared() shared} by the tests of this JVM; a test that
 * stops its broker starts {@linkplain #start() its own}. A server that is not up within
 * {@value #START_SECONDS} s fails the test with the child's output (with CI=true as without:
 * the server comes from the build's own dependencies, so there is nothing to skip for).
 */
public final class RocketMqServer implements AutoCloseable {
    static final int START_SECONDS = 150;
    private static RocketMqServer shared;

    private final Process process;
    private final Writer commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> output = new ArrayList<>();
    private final Path dir;
    private final String namesrv;
    private final String broker;

    private RocketMqServer(Process process, Path dir) throws Exception {
        this.process = process;
        this.dir = dir;
        this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (output) {
                        output.add(line);
                    }
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the child is gone
            }
        }, "rocketmq-server-output");
        reader.setDaemon(true);
        reader.start();
        String[] ready = expect("READY ", START_SECONDS).split(" ");
        this.namesrv = ready[1];
        this.broker = ready[2];
    }

    /** The server of this test JVM, started on first use and stopped when the JVM exits. */
    static synchronized RocketMqServer shared() throws Exception {
        if (shared == null) {
            shared = start();
            RocketMqServer s = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(s::close));
        }
        return shared;
    }

    /** A new server (its own child JVM, ports and store). */
    public static RocketMqServer start() throws Exception {
        Path target = Paths.get("target").toAbsolutePath();
        Path dir = Files.createTempDirectory(Files.isDirectory(target) ? target : Paths.get(System.getProperty(
                "java.io.tmpdir")), "rocketmq-");
        String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("trace-agent.jar")).collect(Collectors.joining(File.pathSeparator));
        List<String> cmd = Arrays.asList(java, "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Duser.home=" + dir, "-Drocketmq.client.logRoot=" + dir.resolve("logs"),
                "-cp", cp, ServerMain.class.getName(), dir.toString());
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile()).start();
        try {
            return new RocketMqServer(p, dir);
        } catch (Throwable t) {
            p.destroyForcibly();
            throw t;
        }
    }

    /** The name server, {@code 127.0.0.1:<port>} (a client's {@code namesrvAddr}). */
    public String namesrv() {
        return namesrv;
    }

    /** The broker, {@code 127.0.0.1:<port>}. */
    String broker() {
        return broker;
    }

    /** Creates a topic with one queue, named {@code prefix} and a random suffix, and returns its name. */
    public String topic(String prefix) throws Exception {
        String name = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        command("topic " + name);
        expect("TOPIC " + name, 30);
        return name;
    }

    /** Closes the broker's ports, as a broker that went down; the name server stays up and still routes to it. */
    void stopBroker() throws Exception {
        command("stop-broker");
        expect("STOPPED", 60);
    }

    private void command(String line) throws IOException {
        commands.write(line + "\n");
        commands.flush();
    }

    private String expect(String prefix, int seconds) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < end) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive()) {
                break;
            }
        }
        String out;
        synchronized (output) {
            out = String.join("\n", output);
        }
        String err = Files.exists(dir.resolve("stderr.txt"))
                ? new String(Files.readAllBytes(dir.resolve("stderr.txt")), StandardCharsets.UTF_8) : "";
        throw new AssertionError("the RocketMQ server (" + ServerMain.class.getSimpleName() + ") did not answer "
                + prefix.trim() + " within " + seconds + " s" + (process.isAlive() ? "" : " (it exited)")
                + "\nstdout:\n" + out + "\nstderr (tail):\n" + err.substring(Math.max(0, err.length() - 4000)));
    }

    /** Stops the child JVM (end of its input, then by force) and deletes its store. */
    @Override
    public void close() {
        try {
            commands.close();
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: it is under target/
        }
    }
}
