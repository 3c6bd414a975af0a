package io.rpctrace.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Runs a scenario's {@code main} in a fresh JVM with the packaged agent: for tests that need
 * their own agent arguments, a second agent, another JDK or a class path of their own.
 * The records go to a fresh {@code log.dir}.
 *
 * <pre>{@code
 * ChildJvm.Result r = ChildJvm.withAgent()
 *         .agentArgs("instrumentation.executors.enabled=false")
 *         .javaagent(otelJar, "-Dotel.traces.exporter=logging")
 *         .main(MyScenario.class).run();
 * r.assertExitCode(0);
 * Records.of(r.records()).named("task").single().hasRpcId("0.2.1");
 * }</pre>
 */
public final class ChildJvm {
    /** System property (set by the surefire configuration) with the packaged agent jar. */
    public static final String AGENT_JAR = "rpctrace.agent.jar";

    private String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    private final String agentJar;
    private String agentArgs = "";
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> otherAgents = new ArrayList<>();
    private String classPath = testClassPath();
    private String mainClass;
    private final List<String> args = new ArrayList<>();
    private long timeoutSeconds = 120;

    private ChildJvm(String agentJar) {
        this.agentJar = agentJar;
    }

    /** A JVM started with {@code -javaagent:<the packaged agent>}. */
    public static ChildJvm withAgent() {
        return new ChildJvm(agentJar().toString());
    }

    /** A JVM without the rpctrace agent (baselines). */
    public static ChildJvm withoutAgent() {
        return new ChildJvm(null);
    }

    /** The packaged agent jar. */
    public static Path agentJar() {
        String p = System.getProperty(AGENT_JAR);
        if (p == null || !Files.isRegularFile(Paths.get(p))) {
            throw new AssertionError("system property " + AGENT_JAR + " must name the packaged agent (is " + p
                    + "); run mvn verify, not mvn test");
        }
        return Paths.get(p);
    }

    /** Another JDK: the path of its {@code java}. */
    public ChildJvm java(String javaExecutable) {
        this.java = javaExecutable;
        return this;
    }

    /** Agent arguments ({@code key=value,...}); {@code log.dir} is added by the harness. */
    public ChildJvm agentArgs(String args) {
        this.agentArgs = args;
        return this;
    }

    /** A JVM option. */
    public ChildJvm jvmArg(String... options) {
        jvmArgs.addAll(Arrays.asList(options));
        return this;
    }

    /** A second agent, attached before rpctrace's, with its own options. */
    public ChildJvm javaagent(Path jar, String... options) {
        otherAgents.add("-javaagent:" + jar);
        jvmArgs.addAll(Arrays.asList(options));
        return this;
    }

    /** The class path (default: this test JVM's, without any agent jar). */
    public ChildJvm classPath(String cp) {
        this.classPath = cp;
        return this;
    }

    /**
     * This test JVM's class path without the jars whose file names start with one of
     * {@code prefixes}: the part of it a service of that kind would ship. Never the agent's jar,
     * whatever its name ({@code trace-agent-<version>.jar} from the local repository).
     */
    public ChildJvm classPathWithout(List<String> prefixes) {
        this.classPath = Arrays.stream(testClassPath().split(File.pathSeparator))
                .filter(e -> !new File(e).getName().startsWith("trace-agent"))
                .filter(e -> prefixes.stream().noneMatch(new File(e).getName()::startsWith))
                .collect(Collectors.joining(File.pathSeparator));
        return this;
    }

    /** {@code n} distinct loopback ports free at the time of the call, for the services to start on. */
    public static int[] freePorts(int n) {
        ServerSocket[] sockets = new ServerSocket[n];
        int[] ports = new int[n];
        try {
            for (int i = 0; i < n; i++) {
                sockets[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ports[i] = sockets[i].getLocalPort();
            }
            for (ServerSocket s : sockets) {
                s.close();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ChildJvm main(Class<?> mainClass, String... args) {
        return main(mainClass.getName(), args);
    }

    public ChildJvm main(String mainClass, String... args) {
        this.mainClass = mainClass;
        this.args.addAll(Arrays.asList(args));
        return this;
    }

    public ChildJvm timeoutSeconds(long s) {
        this.timeoutSeconds = s;
        return this;
    }

    /** Runs to completion. */
    public Result run() {
        try {
            Path logDir = Files.createTempDirectory(scratchDir(), "rpctrace-child");
            List<String> cmd = command(logDir);
            Path out = Files.createTempFile(logDir, "stdout", ".txt");
            Path err = Files.createTempFile(logDir, "stderr", ".txt");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("child JVM timed out: " + String.join(" ", cmd) + "\nstderr:\n" + Files.readString(err));
            }
            return new Result(cmd, p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * Starts the JVM and leaves it running: for a service that tests send requests to (a Spring
     * Boot application). Close the handle to stop it.
     *
     * <pre>{@code
     * try (ChildJvm.Running svc = ChildJvm.withAgent().main(App.class).start()) {
     *     int port = Integer.parseInt(svc.awaitLine("READY ", 120)[0]);
     *     ... requests ...
     *     Records.of(svc.records());
     * }
     * }</pre>
     */
    public Running start() {
        try {
            Path logDir = Files.createTempDirectory(scratchDir(), "rpctrace-child");
            List<String> cmd = command(logDir);
            Path out = Files.createTempFile(logDir, "stdout", ".txt");
            Path err = Files.createTempFile(logDir, "stderr", ".txt");
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            return new Running(cmd, p, out, err, logDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<String> command(Path logDir) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(otherAgents);
        if (agentJar != null) {
            String a = "log.dir=" + logDir + ",flush.interval.ms=100" + (agentArgs.isEmpty() ? "" : "," + agentArgs);
            cmd.add("-javaagent:" + agentJar + "=" + a);
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Under the module's {@code target/} when the test runs from its base directory (as Maven runs
     * it), so that {@code mvn clean} removes the children's files; the system temp directory
     * otherwise. Hundreds of child JVMs per build must not pile up in /tmp.
     */
    private static Path scratchDir() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        return Files.isDirectory(target) ? Files.createDirectories(target.resolve("child-jvms"))
                : Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static String testClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("trace-agent.jar"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** A child JVM that keeps running until {@link #close()}: its output and records so far. */
    public static final class Running implements AutoCloseable {
        private final List<String> command;
        private final Process process;
        private final Path stdout;
        private final Path stderr;
        private final RecordFiles records;

        Running(List<String> command, Process process, Path stdout, Path stderr, Path logDir) {
            this.command = command;
            this.process = process;
            this.stdout = stdout;
            this.stderr = stderr;
            this.records = new RecordFiles(logDir);
        }

        /** stdout so far. */
        public String stdout() {
            return read(stdout);
        }

        /** stderr so far. */
        public String stderr() {
            return read(stderr);
        }

        /**
         * Waits until a stdout line starts with {@code prefix} and returns its space-separated fields
         * after the prefix; fails with both outputs if the JVM exits or {@code seconds} pass first.
         */
        public String[] awaitLine(String prefix, long seconds) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                for (String line : stdout().split("\n")) {
                    if (line.startsWith(prefix)) {
                        return line.substring(prefix.length()).trim().split(" ");
                    }
                }
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError((process.isAlive() ? "no line '" + prefix + "' within " + seconds + " s"
                            : "child JVM exited with " + process.exitValue() + " before printing '" + prefix + "'")
                            + "\n" + String.join(" ", command) + "\n--- stdout\n" + stdout() + "\n--- stderr\n" + stderr());
                }
                sleep(50);
            }
        }

        /** Only records written from now on are returned by {@link #records()}. */
        public Running mark() {
            records.mark();
            return this;
        }

        /** The records written since the last {@link #mark()} (the agent writes every 100 ms). */
        public List<TraceRecord> records() {
            return records.read();
        }

        /**
         * The records since the last {@link #mark()} once {@code done} holds, or after
         * {@code seconds} as they are (the agent writes a record after the response went out).
         */
        public Records awaitRecords(Predicate<Records> done, long seconds) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (true) {
                Records r = Records.of(records());
                if (done.test(r) || System.nanoTime() > deadline) {
                    return r;
                }
                sleep(50);
            }
        }

        /** The records of {@code trace}, once there are at least {@code n} (or {@code seconds} passed). */
        public Records awaitTrace(String trace, int n, long seconds) {
            if (trace == null) {
                throw new AssertionError("no trace id (no X-Trace-Id on the response?)");
            }
            return awaitRecords(rs -> rs.inTrace(trace).size() >= n, seconds).inTrace(trace);
        }

        /** The records of {@code trace}, once it has a {@code log.debug} of logger {@code logger}. */
        public Records awaitDebugOf(String trace, String logger, long seconds) {
            if (trace == null) {
                throw new AssertionError("no trace id (no X-Trace-Id on the response?)");
            }
            return awaitRecords(rs -> rs.inTrace(trace).named("log.debug").module(logger).size() >= 1, seconds)
                    .inTrace(trace);
        }

        /** Fails unless stdout so far has exactly this line. */
        public void assertLine(String line) {
            if (stdout().lines().noneMatch(line::equals)) {
                throw new AssertionError("no line\n" + line + "\nin\n" + stdout());
            }
        }

        /** Stops the JVM (and waits for it, at most 10 s). */
        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static String read(Path p) {
            try {
                return Files.readString(p, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** What the child JVM did. */
    public static final class Result {
        private final List<String> command;
        private final int exitCode;
        private final String stdout;
        private final String stderr;
        private final Path logDir;

        Result(List<String> command, int exitCode, String stdout, String stderr, Path logDir) {
            this.command = command;
            this.exitCode = exitCode;
            this.stdout = stdout;
            this.stderr = stderr;
            this.logDir = logDir;
        }

        public int exitCode() {
            return exitCode;
        }

        public String stdout() {
            return stdout;
        }

        public String stderr() {
            return stderr;
        }

        /** The records the child wrote (it flushes on exit). */
        public List<TraceRecord> records() {
            return new RecordFiles(logDir).read();
        }

        /** Fails with the command and both outputs unless the exit code is {@code expected}. */
        public Result assertExitCode(int expected) {
            if (exitCode != expected) {
                throw new AssertionError("child JVM exited with " + exitCode + " (expected " + expected + ")\n"
                        + String.join(" ", command) + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr);
            }
            return this;
        }

        /** stdout lines that start with {@code prefix}, without it (scenarios print their findings). */
        public List<String> lines(String prefix) {
            return stdout.lines().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()))
                    .collect(Collectors.toList());
        }

        /**
         * The space-separated fields of the one stdout line that starts with {@code prefix}
         * (without it); fails with both outputs unless there is exactly one such line.
         */
        public String[] fields(String prefix) {
            List<String> l = lines(prefix);
            if (l.size() != 1) {
                throw new AssertionError(l.size() + " lines starting with '" + prefix + "' (expected 1)\n--- stdout\n"
                        + stdout + "\n--- stderr\n" + stderr);
            }
            return l.get(0).split(" ");
        }

        /** Fails with stdout unless one of its lines is exactly {@code line}. */
        public Result assertLine(String line) {
            List<String> out = stdout.lines().collect(Collectors.toList());
            if (!out.contains(line)) {
                throw new AssertionError("no line\n" + line + "\nin\n" + String.join("\n", out));
            }
            return this;
        }
    }
}
