package io.rpctrace.examples.shop;

import io.rpctrace.examples.bench.HttpLoad;
import io.rpctrace.examples.bench.ProcStat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The demo's order ({@code POST /orders} through gateway → orders → inventory, Kafka, notifier)
 * under load, with and without the agent, in one run: the shop is started without the agent,
 * then with it, alternately ({@code --rounds} times each), and each time measured twice:
 *
 * <ul>
 *   <li><b>throughput</b>: {@code --clients} closed-loop clients for {@code --seconds}: orders per second;
 *   <li><b>CPU per order</b>: the CPU time of all the shop's JVMs during the throughput phase, per order,
 *       and the same split by thread group ({@link ProcStat#threadCpuNanos}): the application's threads,
 *       the JIT compiler's, the collector's and the VM's, the agent's own (writer, metrics); and the
 *       application threads per JVM. Per round, the services' application and agent threads are
 *       also given against the broker's, which runs without the agent in both runs and so measures
 *       how far the machine's speed moved between them;
 *   <li><b>latency</b>: an open loop at a fixed {@code --rate} for {@code --seconds}, each latency
 *       counted from the moment the request was due (no coordinated omission): p50, p99, p99.9.
 * </ul>
 *
 * Both after {@code --warmup} seconds of closed-loop load. Full JIT and a 512 MiB heap per
 * service (not the demo's quick-start flags).
 *
 * <pre>
 * java -cp "trace-examples/target/trace-examples.jar:trace-examples/target/lib/*" io.rpctrace.examples.shop.LoadRun \
 *     [--rate 100] [--seconds 20] [--warmup 15] [--clients 4] [--rounds 2] [--dir logs/load]
 *     [--agent trace-agent/target/trace-agent.jar] [--compare other/trace-agent.jar]
 * </pre>
 *
 * <p>{@code --compare} runs a third shop per round with another build of the agent, right after
 * the two above, and gives its figures against the same round's shop without the agent: two
 * builds compared in one run, where the machine's speed moves between runs.
 */
public final class LoadRun {
    /** The Kafka broker's JVM, as {@link Demo#startShop} names it: never started with the agent. */
    private static final String BROKER = "kafka";
    private static final byte[] ORDER = Shop.json("sku", "book", "qty", 1).getBytes(StandardCharsets.UTF_8);

    private LoadRun() {
    }

    /** One measurement of one shop. */
    record Measured(boolean agent, double throughput, long errors, long p50, long p99, long p999, long late,
                    double cpuPerOrderMs, Map<String, Double> groupMsPerOrder, Map<String, Double> jvmAppMsPerOrder) {
        double group(String name) {
            return groupMsPerOrder.getOrDefault(name, 0.0);
        }

        /** The four services' application threads (the broker's left out). */
        double servicesApplicationMs() {
            return jvmAppMsPerOrder.entrySet().stream().filter(e -> !e.getKey().equals(BROKER))
                    .mapToDouble(Map.Entry::getValue).sum();
        }
    }

    public static void main(String[] args) throws Exception {
        int rate = 100;
        int seconds = 20;
        int warmup = 15;
        int clients = 4;
        int rounds = 2;
        Path dir = Paths.get("logs/load");
        Path agent = Paths.get("trace-agent/target/trace-agent.jar");
        Path compare = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--rate" -> rate = Integer.parseInt(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--clients" -> clients = Integer.parseInt(v);
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--dir" -> dir = Paths.get(v);
                case "--agent" -> agent = Paths.get(v);
                case "--compare" -> compare = Paths.get(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Demo demo = new Demo(dir, agent, System.getProperty("java.class.path"))
                .jvm(List.of("-XX:+UseParallelGC", "-Xms256m"), "-Xmx512m");
        Demo other = compare == null ? null : new Demo(dir, compare, System.getProperty("java.class.path"))
                .jvm(List.of("-XX:+UseParallelGC", "-Xms256m"), "-Xmx512m");
        List<Measured> all = new ArrayList<>();
        List<Measured> compared = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (boolean withAgent : new boolean[] {false, true}) {
                Measured m = measure(demo, withAgent, rate, seconds, warmup, clients);
                all.add(m);
                System.out.println(line(m));
            }
            if (other != null) {
                Measured m = measure(other, true, rate, seconds, warmup, clients);
                compared.add(m);
                System.out.println("compare: " + line(m));
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "load run: rate %d/s, %d s per measurement, %d s warm-up, %d clients, %d rounds%n",
                rate, seconds, warmup, clients, rounds);
        Measured off = median(all, false);
        Measured on = median(all, true);
        System.out.println("median without agent: " + line(off));
        System.out.println("median with agent:    " + line(on));
        System.out.printf(Locale.ROOT, "agent/no agent: throughput %.3f (%+.1f %%), p50 %.3f, p99 %.3f, p99.9 %.3f,"
                        + " CPU per order %.3f%n",
                on.throughput() / off.throughput(), 100 * (on.throughput() / off.throughput() - 1),
                (double) on.p50() / off.p50(), (double) on.p99() / off.p99(), (double) on.p999() / off.p999(),
                on.cpuPerOrderMs() / off.cpuPerOrderMs());
        // each round's agent run against the run without it just before: the VM's speed moves between rounds
        double[] cpu = new double[rounds];
        double[] app = new double[rounds];
        double[] services = new double[rounds];
        double[] broker = new double[rounds];
        double[] againstBroker = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            Measured a = all.get(2 * r + 1);
            Measured b = all.get(2 * r);
            cpu[r] = a.cpuPerOrderMs() / b.cpuPerOrderMs();
            app[r] = a.group(ProcStat.APPLICATION) / b.group(ProcStat.APPLICATION);
            // the demo's services run rpctrace's writer and metrics threads without the agent too (the manual API)
            services[r] = (a.servicesApplicationMs() + a.group(ProcStat.RPCTRACE))
                    / (b.servicesApplicationMs() + b.group(ProcStat.RPCTRACE));
            broker[r] = a.jvmAppMsPerOrder().getOrDefault(BROKER, 0.0) / b.jvmAppMsPerOrder().getOrDefault(BROKER, 0.0);
            againstBroker[r] = services[r] / broker[r];
        }
        System.out.printf(Locale.ROOT, "per round, agent/no agent: CPU per order %s (median %.3f); application threads %s"
                        + " (median %.3f)%n", ratios(cpu), medianOf(cpu.clone()), ratios(app), medianOf(app.clone()));
        // The broker never runs with the agent and does the same work per order in both runs (the
        // agent's record headers aside): its ratio is how far the VM's speed moved between the two.
        System.out.printf(Locale.ROOT, "per round, the services' application and agent threads %s (median %.3f); the broker's"
                        + " application threads %s (median %.3f); the services against the broker %s (median %.3f)%n",
                ratios(services), medianOf(services.clone()), ratios(broker), medianOf(broker.clone()),
                ratios(againstBroker), medianOf(againstBroker.clone()));
        if (other != null) {
            double[] otherAgainstBroker = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                otherAgainstBroker[r] = servicesAgainstBroker(compared.get(r), all.get(2 * r));
            }
            System.out.printf(Locale.ROOT, "per round, %s: the services against the broker %s (median %.3f)%n",
                    compare, ratios(otherAgainstBroker), medianOf(otherAgainstBroker.clone()));
        }
        System.exit(0);
    }

    /** The services' application and agent threads of {@code a} against {@code bare}'s, over the broker's ratio. */
    private static double servicesAgainstBroker(Measured a, Measured bare) {
        double services = (a.servicesApplicationMs() + a.group(ProcStat.RPCTRACE))
                / (bare.servicesApplicationMs() + bare.group(ProcStat.RPCTRACE));
        double broker = a.jvmAppMsPerOrder().getOrDefault(BROKER, 0.0) / bare.jvmAppMsPerOrder().getOrDefault(BROKER, 0.0);
        return services / broker;
    }

    private static Measured measure(Demo demo, boolean withAgent, int rate, int seconds, int warmup, int clients)
            throws Exception {
        Demo.deleteTree(demo.dir());
        Path records = demo.dir().resolve("records");
        Path logs = demo.dir().resolve("logs");
        java.nio.file.Files.createDirectories(logs);
        Map<String, Integer> ports = Demo.freePorts();
        try (Processes shop = new Processes()) {
            List<Processes.Child> jvms = demo.startShop(shop, withAgent ? records : null, logs, ports);
            URL url = new URL("http://127.0.0.1:" + ports.get("gateway") + "/orders");
            HttpLoad.Request order = n -> order(url, "load-" + (n % 100));
            HttpLoad.closedLoop(order, clients, warmup);
            Map<String, Map<String, Long>> threads0 = threadCpuNanos(jvms);
            long cpu0 = cpuNanos(jvms);
            HttpLoad.Closed t = HttpLoad.closedLoop(order, clients, seconds);
            double orders = Math.max(1, t.done());
            double cpuPerOrderMs = (cpuNanos(jvms) - cpu0) / 1e6 / orders;
            Map<String, Double> groups = new TreeMap<>();
            Map<String, Double> apps = new TreeMap<>();
            threadCpuNanos(jvms).forEach((jvm, byGroup) -> byGroup.forEach((g, ns) -> {
                double ms = (ns - threads0.getOrDefault(jvm, Map.of()).getOrDefault(g, 0L)) / 1e6 / orders;
                groups.merge(g, ms, Double::sum);
                if (g.equals(ProcStat.APPLICATION)) {
                    apps.put(jvm, ms);
                }
            }));
            // threads that started or ended inside the window: in the process's total, not in the live threads' sums
            groups.put("other", cpuPerOrderMs - groups.values().stream().mapToDouble(Double::doubleValue).sum());
            HttpLoad.Open o = HttpLoad.openLoop(order, rate, seconds);
            return new Measured(withAgent, t.done() / (double) seconds, t.errors() + o.errors(), o.pct(0.50), o.pct(0.99),
                    o.pct(0.999), o.late(), cpuPerOrderMs, groups, apps);
        } finally {
            Demo.deleteTree(demo.dir().resolve("kafka"));
        }
    }

    /**
     * CPU time used so far by the shop's JVMs (broker included: the agent's Kafka headers cost it
     * bytes). Unlike throughput and latency it hardly depends on what else the machine runs.
     */
    private static long cpuNanos(List<Processes.Child> jvms) {
        return jvms.stream().mapToLong(c -> c.process().info().totalCpuDuration().map(java.time.Duration::toNanos)
                .orElse(0L)).sum();
    }

    /** CPU time so far of each JVM's live threads, by the JVM's name and {@link ProcStat#group thread group}. */
    private static Map<String, Map<String, Long>> threadCpuNanos(List<Processes.Child> jvms) {
        Map<String, Map<String, Long>> byJvm = new TreeMap<>();
        for (Processes.Child c : jvms) {
            byJvm.put(c.name(), ProcStat.threadCpuNanos(c.process().pid()));
        }
        return byJvm;
    }

    private static String ratios(double[] v) {
        StringBuilder sb = new StringBuilder();
        for (double x : v) {
            sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3f", x));
        }
        return sb.toString();
    }

    /** One order; true when it was created (201). */
    static boolean order(URL url, String customer) {
        try {
            HttpURLConnection c = (HttpURLConnection) url.openConnection();
            c.setConnectTimeout(5000);
            c.setReadTimeout(30000);
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            c.setRequestProperty("X-Customer", customer);
            try (OutputStream out = c.getOutputStream()) {
                out.write(ORDER);
            }
            int status = c.getResponseCode();
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                if (in != null) {
                    in.readAllBytes();   // read fully: the connection goes back to the keep-alive cache
                }
            }
            return status == 201;
        } catch (IOException e) {
            return false;
        }
    }

    private static Measured median(List<Measured> all, boolean agent) {
        List<Measured> m = all.stream().filter(x -> x.agent() == agent).toList();
        return new Measured(agent, medianOf(m.stream().mapToDouble(Measured::throughput).toArray()),
                m.stream().mapToLong(Measured::errors).sum(),
                (long) medianOf(m.stream().mapToDouble(Measured::p50).toArray()),
                (long) medianOf(m.stream().mapToDouble(Measured::p99).toArray()),
                (long) medianOf(m.stream().mapToDouble(Measured::p999).toArray()),
                m.stream().mapToLong(Measured::late).sum(),
                medianOf(m.stream().mapToDouble(Measured::cpuPerOrderMs).toArray()),
                medianOf(m, Measured::groupMsPerOrder), medianOf(m, Measured::jvmAppMsPerOrder));
    }

    private static Map<String, Double> medianOf(List<Measured> m, Function<Measured, Map<String, Double>> figures) {
        Map<String, Double> out = new TreeMap<>();
        m.stream().flatMap(x -> figures.apply(x).keySet().stream()).distinct()
                .forEach(g -> out.put(g, medianOf(m.stream().mapToDouble(x -> figures.apply(x).getOrDefault(g, 0.0)).toArray())));
        return out;
    }

    private static double medianOf(double[] v) {
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static String line(Measured m) {
        return String.format(Locale.ROOT, "%-8s throughput %7.1f orders/s  CPU %6.2f ms/order (%s; application threads per JVM:"
                        + " %s)  p50 %6.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  errors %d  late %d",
                m.agent() ? "agent" : "no agent", m.throughput(), m.cpuPerOrderMs(), figures(m.groupMsPerOrder()),
                figures(m.jvmAppMsPerOrder()), m.p50() / 1e6, m.p99() / 1e6, m.p999() / 1e6, m.errors(), m.late());
    }

    private static String figures(Map<String, Double> byName) {
        StringBuilder sb = new StringBuilder();
        byName.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%s %.3f", k, v)));
        return sb.toString();
    }
}
