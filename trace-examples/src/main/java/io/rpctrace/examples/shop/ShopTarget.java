package io.rpctrace.examples.shop;

import io.rpctrace.examples.bench.HttpLoad;
import io.rpctrace.examples.bench.Mode;
import io.rpctrace.examples.bench.Target;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The demo shop as a target of the side-by-side benchmark: the broker (always without an
 * agent: infrastructure) and the four services with the mode's agent, measured on the demo's
 * order ({@code POST /orders} through the gateway). The four services' JVMs count; the broker
 * does not. Full JIT, {@code -XX:+UseParallelGC -Xms256m -Xmx512m} as in {@link LoadRun}.
 */
public final class ShopTarget implements Target {
    private final String classPath;

    /** @param classPath the services' class path (trace-examples.jar and its lib/) */
    public ShopTarget(String classPath) {
        this.classPath = classPath;
    }

    @Override
    public String name() {
        return "shop";
    }

    @Override
    public Running start(Mode mode, Mode.Agents agents, Path dir) throws Exception {
        Demo demo = new Demo(dir, agents.rpctrace(), classPath).jvm(List.of("-XX:+UseParallelGC", "-Xms256m"), "-Xmx512m")
                .readyTimeout(300);
        Demo.deleteTree(demo.dir());
        Path records = demo.dir().resolve("records");
        Path logs = demo.dir().resolve("logs");
        Files.createDirectories(records);
        Files.createDirectories(logs);
        Map<String, Integer> ports = Demo.freePorts();
        Processes shop = new Processes();
        long t0 = System.nanoTime();
        List<Processes.Child> jvms;
        URL url = new URL("http://127.0.0.1:" + ports.get("gateway") + "/orders");
        try {
            jvms = demo.startShop(shop, name -> mode == Mode.RPCTRACE ? List.of(demo.rpctraceAgent(name, records))
                    : mode.jvmArgs(agents, name, records), mode.label(), logs, ports);
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!LoadRun.order(url, "first")) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the shop (" + mode.label() + ") placed no order in 120 s; see " + logs);
                }
                Thread.sleep(10);
            }
        } catch (Exception | Error e) {
            shop.close();
            throw e;
        }
        double startup = (System.nanoTime() - t0) / 1e9;
        List<Long> pids = jvms.stream().filter(c -> !c.name().equals("kafka")).map(c -> c.process().pid()).toList();
        return new Running() {
            @Override
            public List<Long> pids() {
                return pids;
            }

            @Override
            public HttpLoad.Request request() {
                return n -> LoadRun.order(url, "bench-" + (n % 100));
            }

            @Override
            public double startupSeconds() {
                return startup;
            }

            @Override
            public Path written() {
                return mode == Mode.OTEL_FILE ? logs : records;
            }

            @Override
            public void close() {
                shop.close();
                try {
                    Demo.deleteTree(demo.dir().resolve("kafka"));
                } catch (java.io.IOException e) {
                    System.err.println("side-by-side: could not delete " + demo.dir().resolve("kafka") + ": " + e);
                }
            }
        };
    }
}
