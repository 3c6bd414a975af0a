package io.rpctrace.examples.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The light service (trace-benchmarks/light-service: Spring Boot, one endpoint, one MariaDB
 * query and one Redis GET per request) started from its executable jar as a user starts it,
 * measured on {@code GET /items/<1..100>}.
 */
public final class LightTarget implements Target {
    private final Path jar;
    private final List<String> jvmFlags;
    private final Path jfr;

    /**
     * @param jar      the light service's executable jar
     * @param jvmFlags heap and GC options, the same in every mode
     * @param jfr      a directory: profile each run with Flight Recorder ({@code light-<mode>.jfr}); or null
     */
    public LightTarget(Path jar, List<String> jvmFlags, Path jfr) {
        this.jar = jar.toAbsolutePath().normalize();
        this.jvmFlags = jvmFlags;
        this.jfr = jfr;
    }

    @Override
    public String name() {
        return "light";
    }

    @Override
    public Running start(Mode mode, Mode.Agents agents, Path dir) throws Exception {
        Path records = dir.resolve("records");
        Files.createDirectories(records);
        Path out = dir.resolve("light.out");
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(mode.jvmArgs(agents, "light", records));
        cmd.addAll(jvmFlags);
        if (jfr != null) {
            cmd.add("-XX:StartFlightRecording=settings=profile,filename="
                    + jfr.toAbsolutePath().resolve("light-" + mode.label() + ".jfr"));
        }
        cmd.addAll(List.of("-jar", jar.toString(), "--server.port=" + port));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        URL first = new URL("http://127.0.0.1:" + port + "/items/1");
        long deadline = t0 + TimeUnit.SECONDS.toNanos(300);
        while (!HttpLoad.get(first)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("the light service (" + mode.label() + ") did not serve /items/1"
                        + (p.isAlive() ? " in 300 s" : "; it exited") + "; its output (" + out + "):\n" + tail(out));
            }
            Thread.sleep(10);
        }
        double startup = (System.nanoTime() - t0) / 1e9;
        String base = "http://127.0.0.1:" + port + "/items/";
        URL[] items = new URL[100];
        for (int i = 0; i < items.length; i++) {
            items[i] = new URL(base + (i + 1));
        }
        return new Running() {
            @Override
            public List<Long> pids() {
                return List.of(p.pid());
            }

            @Override
            public HttpLoad.Request request() {
                return n -> HttpLoad.get(items[(int) (n % items.length)]);
            }

            @Override
            public double startupSeconds() {
                return startup;
            }

            @Override
            public Path written() {
                return mode == Mode.OTEL_FILE ? out : records;
            }

            @Override
            public void close() {
                p.destroy();   // SIGTERM: the agents flush what they hold
                try {
                    if (!p.waitFor(20, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static String tail(Path out) {
        try {
            List<String> lines = Files.readString(out, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
