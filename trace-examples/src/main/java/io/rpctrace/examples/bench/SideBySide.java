package io.rpctrace.examples.bench;

import io.rpctrace.examples.shop.Demo;
import io.rpctrace.examples.shop.ShopTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The side-by-side benchmark (docs/benchmarks.md): the light service and the demo shop, each
 * run without an agent, with rpctrace and with the OpenTelemetry javaagent (exporters off, and
 * writing every span to a file), the modes alternating within each round and the order of
 * modes rotating from round to round. Each measurement starts the target fresh and takes:
 *
 * <ol>
 *   <li>start-up: wall time from starting the JVM(s) to the first request served, and the CPU
 *       time the service JVMs used by then;
 *   <li>after {@code --warmup} seconds of closed-loop load: throughput and CPU time per request
 *       ({@code /proc/<pid>/stat} of the service JVMs only; the load comes from this JVM) over
 *       {@code --seconds} of {@code --clients} closed-loop clients;
 *   <li>latency: p50 / p99 / p99.9 of an open loop at the target's rate for {@code --seconds};
 *   <li>RSS of the service JVMs after the load, and the bytes the agent wrote per request.
 * </ol>
 *
 * It prints each measurement, appends it to the CSV as it goes, and ends with the summary
 * table (Markdown) and the SVG chart. trace-benchmarks/side-by-side.sh builds everything and
 * runs it.
 *
 * <pre>
 * java -cp "trace-examples/target/trace-examples.jar:trace-examples/target/lib/*" io.rpctrace.examples.bench.SideBySide \
 *     --otel trace-benchmarks/target/otel/opentelemetry-javaagent.jar [--targets light,shop]
 *     [--modes bare,rpctrace,otel-none,otel-file] [--rounds 3] [--warmup 120] [--seconds 60] [--clients 4]
 *     [--light-rate 200] [--shop-rate 20] [--dir target/side-by-side] [--csv FILE] [--svg FILE] [--note TEXT]
 *     [--jfr DIR]
 * </pre>
 *
 * {@code --jfr DIR} profiles every service JVM with Flight Recorder (settings {@code profile}),
 * one file per target and mode in DIR (the last round's): to find where the time goes, not for
 * the figures of the same run.
 */
public final class SideBySide {
    private static volatile Target.Running current;

    private SideBySide() {
    }

    public static void main(String[] args) throws Exception {
        List<String> targets = List.of("light", "shop");
        List<Mode> modes = List.of(Mode.values());
        int rounds = 3;
        int warmup = 120;
        int seconds = 60;
        int clients = 4;
        int lightRate = 200;
        int shopRate = 20;
        Path dir = Paths.get("target/side-by-side");
        Path agent = Paths.get("trace-agent/target/trace-agent.jar");
        Path otel = Paths.get("trace-benchmarks/target/otel/opentelemetry-javaagent.jar");
        Path lightJar = Paths.get("trace-benchmarks/light-service/target/light-service.jar");
        Path csv = null;
        Path svg = null;
        String note = "";
        Path jfr = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--targets" -> targets = Arrays.asList(v.split(","));
                case "--modes" -> modes = Arrays.stream(v.split(",")).map(Mode::of).toList();
                case "--rounds" -> rounds = Integer.parseInt(v);
                case "--warmup" -> warmup = Integer.parseInt(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--clients" -> clients = Integer.parseInt(v);
                case "--light-rate" -> lightRate = Integer.parseInt(v);
                case "--shop-rate" -> shopRate = Integer.parseInt(v);
                case "--dir" -> dir = Paths.get(v);
                case "--agent" -> agent = Paths.get(v);
                case "--otel" -> otel = Paths.get(v);
                case "--light-jar" -> lightJar = Paths.get(v);
                case "--csv" -> csv = Paths.get(v);
                case "--svg" -> svg = Paths.get(v);
                case "--note" -> note = v;
                case "--jfr" -> jfr = Paths.get(v);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        dir = dir.toAbsolutePath().normalize();
        csv = csv != null ? csv : dir.resolve("side-by-side.csv");
        svg = svg != null ? svg : dir.resolve("side-by-side.svg");
        Mode.Agents agents = new Mode.Agents(agent.toAbsolutePath().normalize(), otel.toAbsolutePath().normalize());
        require(agents.rpctrace(), modes.contains(Mode.RPCTRACE), "the rpctrace agent (mvn -pl trace-agent -am package)");
        require(agents.otel(), modes.stream().anyMatch(Mode::otel), "the OpenTelemetry javaagent (side-by-side.sh copies it)");
        Files.createDirectories(dir);
        if (jfr != null) {
            Files.createDirectories(jfr);
            System.setProperty("shop.jfr", jfr.toAbsolutePath().toString());   // the shop's services (Demo)
        }
        if (csv.getParent() != null) {
            Files.createDirectories(csv.getParent());
        }
        Files.writeString(csv, Measurement.HEADER + "\n", StandardCharsets.UTF_8);
        Runtime.getRuntime().addShutdownHook(new Thread(SideBySide::stopCurrent, "side-by-side-stop"));

        System.out.printf(Locale.ROOT, "side-by-side: targets %s, modes %s, %d rounds, %d s warm-up, %d s per loop, %d clients,"
                        + " open loop %d/s (light) and %d/s (shop), started %s%n", targets,
                modes.stream().map(Mode::label).toList(), rounds, warmup, seconds, clients, lightRate, shopRate,
                Instant.now().truncatedTo(ChronoUnit.SECONDS));
        List<Measurement> all = new ArrayList<>();
        for (String name : targets) {
            Target target = switch (name) {
                case "light" -> new LightTarget(lightJar, List.of("-Xms256m", "-Xmx512m"), jfr);
                case "shop" -> new ShopTarget(System.getProperty("java.class.path"));
                default -> throw new IllegalArgumentException("unknown target " + name + " (light, shop)");
            };
            int rate = name.equals("light") ? lightRate : shopRate;
            for (int round = 1; round <= rounds; round++) {
                for (int k = 0; k < modes.size(); k++) {
                    Mode mode = modes.get((k + round - 1) % modes.size());   // rotate: no mode always runs first
                    Measurement m;
                    try {
                        m = measure(target, mode, agents, dir.resolve(name + "-" + mode.label()), round, warmup, seconds,
                                clients, rate);
                    } catch (IllegalStateException e) {   // did not start: the run goes on without this measurement
                        System.out.println("side-by-side: " + name + " " + mode.label() + " round " + round + " failed: "
                                + e.getMessage().lines().findFirst().orElse(""));
                        continue;
                    }
                    all.add(m);
                    System.out.println(m.line());
                    Files.writeString(csv, m.csv() + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                }
            }
        }
        Summary summary = new Summary(all);
        System.out.println(summary.markdown());
        SvgChart.write(all, svg, note);
        System.out.println("CSV: " + csv);
        System.out.println("chart: " + svg);
        System.exit(0);
    }

    private static Measurement measure(Target target, Mode mode, Mode.Agents agents, Path dir, int round, int warmup,
            int seconds, int clients, int rate) throws Exception {
        Demo.deleteTree(dir);
        Files.createDirectories(dir);
        try (Target.Running r = target.start(mode, agents, dir)) {
            current = r;
            List<Long> pids = r.pids();
            double startupCpu = cpuNanos(pids) / 1e9;
            HttpLoad.closedLoop(r.request(), clients, warmup);
            long written0 = ProcStat.bytesUnder(r.written());
            long cpu0 = cpuNanos(pids);
            HttpLoad.Closed closed = HttpLoad.closedLoop(r.request(), clients, seconds);
            long cpu = cpuNanos(pids) - cpu0;
            HttpLoad.Open open = HttpLoad.openLoop(r.request(), rate, seconds);
            long rss = pids.stream().mapToLong(ProcStat::rssBytes).sum();
            long written = ProcStat.bytesUnder(r.written()) - written0;
            long requests = closed.done() + open.samples();
            if (mode != Mode.BARE && mode != Mode.OTEL_NONE && written == 0) {
                System.out.println("side-by-side: " + mode.label() + " wrote nothing to " + r.written()
                        + " under load: is the agent attached?");
            }
            return new Measurement(target.name(), mode.label(), round, r.startupSeconds(), startupCpu, rss / 1e6,
                    closed.done() / (double) seconds, cpu / 1e3 / Math.max(1, closed.done()), open.pct(0.50) / 1e6,
                    open.pct(0.99) / 1e6, open.pct(0.999) / 1e6, open.samples(), closed.errors() + open.errors(),
                    written / (double) Math.max(1, requests));
        } finally {
            current = null;
        }
    }

    private static long cpuNanos(List<Long> pids) {
        return pids.stream().mapToLong(ProcStat::cpuNanos).sum();
    }

    private static void stopCurrent() {
        Target.Running r = current;
        if (r != null) {
            r.close();
        }
    }

    private static void require(Path jar, boolean needed, String what) {
        if (needed && !Files.isRegularFile(jar)) {
            System.err.println("side-by-side: no " + what + " at " + jar);
            System.exit(2);
        }
    }
}
