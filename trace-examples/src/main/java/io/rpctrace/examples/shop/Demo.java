package io.rpctrace.examples.shop;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The shop demo: starts a Kafka broker and the four services (gateway, orders, inventory,
 * notifier) as JVMs of their own with the rpctrace agent, places a few orders through the
 * gateway (good ones, one for a product out of stock, one in debug mode), waits for the
 * notifier, stops everything and draws one trace with the viewer in the agent jar.
 *
 * <pre>
 * java -cp "trace-examples/target/trace-examples.jar:trace-examples/target/lib/*" \
 *     io.rpctrace.examples.shop.Demo [--dir logs/demo] [--agent trace-agent/target/trace-agent.jar]
 * </pre>
 *
 * Environment: {@code SHOP_DB_URL} / {@code SHOP_DB_USER} / {@code SHOP_DB_PASSWORD} put both
 * services' tables in MariaDB or PostgreSQL instead of embedded H2.
 */
public final class Demo {
    /** The debug secret the services are started with ({@code debug.token}); a demo value, not a real secret. */
    public static final String DEBUG_TOKEN = "demo-debug-token";
    /**
     * The orders service's own methods, traced by configuration (docs/instrumentation/methods.md):
     * its trace shows the application's modules between the I/O calls.
     */
    public static final String ORDERS_METHODS = "io.rpctrace.examples.shop.Orders[place,price,previousOrders]";

    /** What the demo sent: one order. */
    public record Sent(Kind kind, String sku, int qty, String customer, int status, String traceId, String body) {
    }

    /** The kinds of order the demo places. */
    public enum Kind { GOOD, FAILING, DEBUG }

    /** Where everything went, what was sent, and the ports the shop listened on (free again after {@link #run()}). */
    public record Result(Path dir, Path records, Path logs, List<Sent> sent, Map<String, Integer> ports) {
        /** The orders of one kind. */
        public List<Sent> of(Kind kind) {
            return sent.stream().filter(s -> s.kind() == kind).toList();
        }
    }

    private final Path dir;
    private final Path agentJar;
    private final String classPath;
    private final String java;
    /** Small, quick-starting JVMs: the demo runs five of them on a laptop. */
    private List<String> jvmFlags = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k");
    private String serviceHeap = "-Xmx256m";
    private long readySeconds = 90;

    /**
     * @param dir       the demo's directory: {@code records/} (the agent's {@code log.dir}), {@code logs/} (the
     *                  services' own logs and output); emptied first
     * @param agentJar  the packaged agent
     * @param classPath the services' class path (this JVM's)
     */
    public Demo(Path dir, Path agentJar, String classPath) {
        this.dir = dir.toAbsolutePath().normalize();
        this.agentJar = agentJar.toAbsolutePath().normalize();
        this.classPath = classPath;
        this.java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** JVM flags for the broker and services instead of the quick-start ones, and the services' {@code -Xmx}. */
    Demo jvm(List<String> flags, String heap) {
        this.jvmFlags = flags;
        this.serviceHeap = heap;
        return this;
    }

    /** How long the shop may take to start (a benchmark with other agents on a busy machine needs longer). */
    Demo readyTimeout(long seconds) {
        this.readySeconds = seconds;
        return this;
    }

    /** The demo's directory. */
    Path dir() {
        return dir;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get("logs/demo");
        Path agent = Paths.get("trace-agent/target/trace-agent.jar");
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--dir" -> dir = Paths.get(args[i + 1]);
                case "--agent" -> agent = Paths.get(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + " (--dir DIR, --agent JAR)");
            }
        }
        if (!Files.isRegularFile(agent)) {
            System.err.println("no agent jar at " + agent + ": build it first (mvn -q -B -DskipTests package)");
            System.exit(2);
        }
        long t0 = System.nanoTime();
        Demo demo = new Demo(dir, agent, System.getProperty("java.class.path"));
        Result r;
        try {
            r = demo.run();
        } catch (IllegalStateException e) {   // a service did not start, or Ctrl-C while starting
            System.err.println("==> " + e.getMessage());
            System.exit(1);
            return;
        }
        List<Sent> good = r.of(Kind.GOOD);
        Sent shown = good.get(good.size() - 1);   // the JVMs are warmer by then: closer to a service's usual times
        System.out.println();
        System.out.println("==> the trace of the last good order: java -jar " + agent + " trace " + shown.traceId() + " " + r.records());
        int code = demo.viewer(true, "trace", shown.traceId(), r.records().toString());
        Path html = r.dir().resolve("trace.html");
        demo.viewer(false, "trace", shown.traceId(), r.records().toString(), "--html", html.toString(), "--quiet");
        Sent failed = r.of(Kind.FAILING).get(0);
        Sent debug = r.of(Kind.DEBUG).get(0);
        System.out.println();
        System.out.println("==> HTML page of that trace: " + html);
        System.out.println("==> records (one JSON line each): " + r.records() + "/<service>.trace.log");
        System.out.println("==> the services' own logs (with trace= rpc= of each line): " + r.logs() + "/<service>.log");
        System.out.println("==> more: the failed order:  java -jar " + agent + " trace " + failed.traceId() + " " + r.records());
        System.out.println("          the debug order:   java -jar " + agent + " trace " + debug.traceId() + " " + r.records());
        System.out.println("          all errors:        java -jar " + agent + " errors " + r.records());
        System.out.printf(Locale.ROOT, "==> done in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        System.exit(code == 0 ? 0 : 1);
    }

    /** Starts the shop, places the orders, waits for the notifier, stops everything. */
    public Result run() throws Exception {
        deleteTree(dir);
        Path records = dir.resolve("records");
        Path logs = dir.resolve("logs");
        Files.createDirectories(records);
        Files.createDirectories(logs);
        Map<String, Integer> ports = freePorts();
        long t0 = System.nanoTime();
        List<Sent> sent;
        try (Processes shop = new Processes()) {
            System.out.println("==> starting kafka (KRaft, 127.0.0.1:" + ports.get("kafka") + "), inventory (gRPC :"
                    + ports.get("inventory") + "), orders (HTTP :" + ports.get("orders") + "), notifier, gateway (HTTP :"
                    + ports.get("gateway") + ")");
            startShop(shop, records, logs, ports);
            System.out.printf(Locale.ROOT, "==> all ready in %.1f s; placing orders at http://127.0.0.1:%d/orders%n",
                    (System.nanoTime() - t0) / 1e9, ports.get("gateway"));
            sent = placeOrders(ports.get("gateway"));
            long good = sent.stream().filter(s -> s.status() == 201).count();
            awaitNotified(logs.resolve("notifier.log"), good, 30);
            System.out.println("==> notifier handled " + good + " order.created events; stopping the shop");
        }
        deleteTree(dir.resolve("kafka"));
        return new Result(dir, records, logs, sent, ports);
    }

    /** Distinct free ports for the shop: gateway, orders, inventory, kafka, controller. */
    static Map<String, Integer> freePorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String name : List.of("gateway", "orders", "inventory", "kafka", "controller")) {
            int port = Processes.freePort();
            while (ports.containsValue(port)) {   // a closed-and-returned port can come back
                port = Processes.freePort();
            }
            ports.put(name, port);
        }
        return ports;
    }

    /**
     * Starts the broker and the four services in {@code shop} and waits until they serve. With
     * {@code records} null the services run without the agent (the load run's baseline). Returns the JVMs, broker first.
     */
    List<Processes.Child> startShop(Processes shop, Path records, Path logs, Map<String, Integer> ports)
            throws InterruptedException {
        return startShop(shop, name -> records == null ? List.of() : List.of(rpctraceAgent(name, records)),
                records == null ? "noagent" : "agent", logs, ports);
    }

    /**
     * Starts the broker and the four services, each service with the JVM options
     * {@code agentArgs.apply(<service name>)} (an agent, or none), and waits until they serve.
     * {@code label} names the JVMs' Flight Recorder files. Returns the JVMs, broker first.
     */
    List<Processes.Child> startShop(Processes shop, Function<String, List<String>> agentArgs, String label, Path logs,
            Map<String, Integer> ports) throws InterruptedException {
        List<String> props = new ArrayList<>();
        ports.forEach((name, port) -> props.add("-Dshop." + name + ".port=" + port));
        props.add("-Dshop.kafka=127.0.0.1:" + ports.get("kafka"));
        List<Processes.Child> all = new ArrayList<>();
        // The broker runs without the agent: it is infrastructure, not one of the shop's services.
        all.add(shop.start("kafka", command("kafka", List.of(), label, Broker.class, logs, props,
                "-Xmx512m", "-Dshop.kafka.dir=" + dir.resolve("kafka")), logs.resolve("kafka.out")));
        for (Class<?> service : List.of(Inventory.class, Orders.class, Notifier.class, Gateway.class)) {
            String name = service.getSimpleName().toLowerCase(Locale.ROOT);
            all.add(shop.start(name, command(name, agentArgs.apply(name), label, service, logs, props, serviceHeap),
                    logs.resolve(name + ".out")));
        }
        shop.awaitReady(all, readySeconds);
        return all;
    }

    /** The rpctrace agent option of the service {@code name}, its records to {@code records}. */
    String rpctraceAgent(String name, Path records) {
        return "-javaagent:" + agentJar + "=" + rpctraceAgentArgs(name) + ",log.dir=" + records;
    }

    /** The demo's rpctrace agent arguments of the service {@code name}, without {@code log.dir}. */
    static String rpctraceAgentArgs(String name) {
        return "service=" + name + ",version=shop-" + name + "-1.0,debug.token=" + DEBUG_TOKEN
                + ("orders".equals(name) ? ",methods=" + ORDERS_METHODS : "");
    }

    private List<Sent> placeOrders(int port) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<Sent> sent = new ArrayList<>();
        sent.add(order(client, port, Kind.GOOD, "book", 1, "alice"));
        sent.add(order(client, port, Kind.GOOD, "mug", 2, "bob"));
        sent.add(order(client, port, Kind.GOOD, "book", 3, "alice"));
        sent.add(order(client, port, Kind.FAILING, "lamp", 1, "carol"));   // out of stock: 409 through the chain
        sent.add(order(client, port, Kind.DEBUG, "mug", 1, "dave"));       // X-Debug: 1 with the demo's token
        for (Sent s : sent) {
            System.out.printf(Locale.ROOT, "  %d  %-5s x%d for %-6s %-8s trace %s  %s%n", s.status(), s.sku(), s.qty(),
                    s.customer(), s.kind() == Kind.DEBUG ? "X-Debug" : "", s.traceId(), s.body());
        }
        return sent;
    }

    private static Sent order(HttpClient client, int port, Kind kind, String sku, int qty, String customer)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/orders"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .header("X-Customer", customer)
                .POST(HttpRequest.BodyPublishers.ofString(Shop.json("sku", sku, "qty", qty)));
        if (kind == Kind.DEBUG) {
            b.header("X-Debug", "1").header("X-Debug-Token", DEBUG_TOKEN);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Sent(kind, sku, qty, customer, r.statusCode(), r.headers().firstValue("X-Trace-Id").orElse("?"), r.body());
    }

    /** Waits until the notifier logged {@code count} notifications (its log file, as an operator would look). */
    private static void awaitNotified(Path notifierLog, long count, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (Files.isRegularFile(notifierLog) && Files.readString(notifierLog, StandardCharsets.UTF_8).lines()
                        .filter(l -> l.contains(" notified (")).count() >= count) {
                    return;
                }
            } catch (IOException ignored) {
                // being written
            }
            Thread.sleep(100);
        }
        System.out.println("==> the notifier did not handle all " + count + " events in " + timeoutSeconds + " s; see " + notifierLog);
    }

    private List<String> command(String name, List<String> agentArgs, String label, Class<?> main, Path logs,
            List<String> ports, String... jvm) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(agentArgs);
        cmd.addAll(jvmFlags);
        String jfr = System.getProperty("shop.jfr");   // a directory: profile each JVM with Flight Recorder
        if (jfr != null) {
            cmd.add("-XX:StartFlightRecording=settings=profile,filename=" + Paths.get(jfr, name + "-" + label + ".jfr")
                    .toAbsolutePath());
        }
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");   // Netty, on JDK 22+
        }
        cmd.addAll(List.of(jvm));
        cmd.addAll(ports);
        cmd.add("-Dshop.log.file=" + logs.resolve(name + ".log"));
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(main.getName());
        return cmd;
    }

    /** Runs the viewer bundled in the agent jar; its output to this console, or discarded. */
    int viewer(boolean show, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java, "-jar", agentJar.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (show) {
            pb.inheritIO();
        } else {
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        return pb.start().waitFor();
    }

    /** Deletes {@code p} and everything under it; nothing when it does not exist. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> files = Files.walk(p)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
