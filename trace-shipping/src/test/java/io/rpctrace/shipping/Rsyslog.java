package io.rpctrace.shipping;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real rsyslogd (Debian's, with rsyslog-kafka and rsyslog-elasticsearch) running one of
 * trace-shipping's configurations unchanged, in the foreground, configured through the
 * environment as in production: {@code rsyslogd -n -f <conf> -i <pidfile>}.
 */
final class Rsyslog implements AutoCloseable {
    static final String PACKAGES = "rsyslog rsyslog-kafka rsyslog-elasticsearch";
    private static final Path MODULES = Path.of("/usr/lib/x86_64-linux-gnu/rsyslog");

    private final String name;
    private final Path conf;
    private final Map<String, String> env;
    private final Path dir;
    private Process process;

    private Rsyslog(String name, Path conf, Map<String, String> env, Path dir) {
        this.name = name;
        this.conf = conf;
        this.env = env;
        this.dir = dir;
    }

    /**
     * Fails in CI ({@code CI=true}) when rsyslog or its Kafka/Elasticsearch modules are missing
     * (.ci/run installs them); on a laptop without them, skips with the command to install them.
     */
    static void requireInstalled() {
        String missing = null;
        if (!Files.isExecutable(Path.of("/usr/sbin/rsyslogd"))) {
            missing = "rsyslogd";
        } else {
            for (String m : List.of("imkafka.so", "omkafka.so", "omelasticsearch.so", "mmjsonparse.so", "fmhash.so",
                    "pmnormalize.so")) {
                if (!Files.exists(MODULES.resolve(m))) {
                    missing = MODULES.resolve(m).toString();
                }
            }
        }
        if (missing == null) {
            return;
        }
        String message = missing + " is not installed: apt-get install -y " + PACKAGES;
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message + " (.ci/run installs them)");
        }
        Assumptions.abort(message);
    }

    /** Starts {@code rsyslog/<conf>} with the given settings; its work directory is {@code dir/work}. */
    static Rsyslog start(String name, String conf, Map<String, String> settings, Path dir) {
        requireInstalled();
        Map<String, String> env = new LinkedHashMap<>(settings);
        env.putIfAbsent("RPCTRACE_WORKDIR", dir.resolve("work").toString());
        Rsyslog r = new Rsyslog(name, IndexTemplateTest.shippingDir().resolve("rsyslog").resolve(conf), env, dir);
        r.start();
        return r;
    }

    /** Starts a configuration of the test's own (a baseline). */
    static Rsyslog startConf(String name, Path conf, Map<String, String> settings, Path dir) {
        requireInstalled();
        Rsyslog r = new Rsyslog(name, conf, new LinkedHashMap<>(settings), dir);
        r.start();
        return r;
    }

    void start() {
        try {
            Files.createDirectories(Path.of(env.get("RPCTRACE_WORKDIR")));
            Path pid = dir.resolve(name + ".pid");
            Files.deleteIfExists(pid);
            // from its work directory, as the docs and the systemd units run it (relative file names)
            ProcessBuilder pb = new ProcessBuilder("/usr/sbin/rsyslogd", "-n", "-f", conf.toString(), "-i", pid.toString())
                    .directory(Path.of(env.get("RPCTRACE_WORKDIR")).toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".out").toFile()));
            pb.environment().putAll(env);
            process = pb.start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (!Files.exists(pid)) {
                if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new AssertionError(name + ": rsyslogd did not start:\n" + output());
                }
                TracedShop.sleep(20);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGTERM, as systemd stops it: rsyslog finishes what it can and saves its state. */
    void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            await();
        }
    }

    /** SIGKILL: nothing is saved. */
    void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            await();
        }
    }

    private void await() {
        try {
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    /** What rsyslogd printed (its own errors). */
    String output() {
        try {
            Path out = dir.resolve(name + ".out");
            return Files.exists(out) ? Files.readString(out) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
