package io.rpctrace.shipping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rpctrace.shipping.app.ShopApp;
import io.rpctrace.testing.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs {@link ShopApp}'s two services in child JVMs with the packaged agent, each writing to
 * its own log directory (its "host"), with files small enough to roll several times.
 */
final class TracedShop {
    /** Small files so that a run rolls its file several times (docs/writer.md: rolling by size). */
    static final String ROLL_BYTES = "64k";
    /**
     * The per-IP window ({@code ipstats.windows}): the order service waits for the end of its
     * last window before it exits, so that the files hold metric.ip records; a short one keeps
     * that wait short.
     */
    static final int IP_WINDOW_S = 2;

    final Path orderDir;
    final Path stockDir;
    final List<String> traceIds = new ArrayList<>();
    final List<String> failedTraceIds = new ArrayList<>();

    private TracedShop(Path orderDir, Path stockDir) {
        this.orderDir = orderDir;
        this.stockDir = stockDir;
    }

    /** Runs {@code requests} orders to completion; both JVMs have exited (and flushed) on return. */
    static TracedShop run(Path orderDir, Path stockDir, int requests) {
        return run(orderDir, stockDir, requests, 0, null);
    }

    /**
     * As {@link #run(Path, Path, int)}, pausing {@code pauseMs} between orders, and placing orders
     * until {@code stopFile} exists: a run as long as the test needs, however fast the machine.
     */
    static TracedShop runUntil(Path orderDir, Path stockDir, long pauseMs, Path stopFile) {
        return run(orderDir, stockDir, 1, pauseMs, stopFile);
    }

    private static TracedShop run(Path orderDir, Path stockDir, int requests, long pauseMs, Path stopFile) {
        TracedShop shop = new TracedShop(orderDir, stockDir);
        // a run until stopFile lasts as long as the test's faults take, on a loaded machine too
        long timeout = stopFile == null ? 300 : 600;
        try {
            int stockPort = SearchEngine.freePort();
            int orderPort = SearchEngine.freePort();
            CompletableFuture<ChildJvm.Result> stock = CompletableFuture.supplyAsync(() -> agentJvm("stock", stockDir, timeout)
                    .main(ShopApp.class, "stock", Integer.toString(stockPort)).run());
            awaitPort(stockPort, stock);
            List<String> args = new ArrayList<>(List.of("order", Integer.toString(orderPort), Integer.toString(stockPort),
                    Integer.toString(requests), Long.toString(pauseMs)));
            if (stopFile != null) {
                args.add(stopFile.toString());
            }
            ChildJvm.Result order = agentJvm("order", orderDir, timeout)
                    .main(ShopApp.class.getName(), args.toArray(new String[0])).run();
            order.assertExitCode(0);
            stock.join().assertExitCode(0);
            shop.traceIds.addAll(order.lines("trace "));
            assertEquals(order.fields("placed ")[0], Integer.toString(shop.traceIds.size()), "an id for every order placed");
            shop.failedTraceIds.addAll(order.lines("failed "));
            return shop;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ChildJvm agentJvm(String service, Path logDir, long timeoutSeconds) {
        return ChildJvm.withAgent().timeoutSeconds(timeoutSeconds).agentArgs("service=" + service + ",log.dir=" + logDir
                + ",file.max.bytes=" + ROLL_BYTES + ",metrics.interval.s=1,ipstats.windows=" + IP_WINDOW_S + "s,writer.blocking=true")
                .jvmArg("-Dshop.ipstats.window.s=" + IP_WINDOW_S);
    }

    private static void awaitPort(int port, CompletableFuture<ChildJvm.Result> owner) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            if (owner.isDone()) {
                throw new AssertionError("stock exited early:\n" + owner.join().stderr());
            }
            try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
                probe.shutdownOutput(); // it answered: stock listens
                return;
            } catch (IOException e) {
                sleep(100);
            }
        }
        throw new AssertionError("stock did not listen on " + port);
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A record as the agent writes it, for a file of odd lines: the trace of the first order, one more log line. */
    String goodRecordAfterJunk() {
        return "{\"x_name\":\"log.info\",\"x_trace_id\":\"" + traceIds.get(0) + "\",\"x_rpc_id\":\"0.9\","
                + "\"x_version\":\"order\",\"x_timestamp\":1763800000,\"x_timestamp_ms\":1763800000000,"
                + "\"x_module\":\"junk_test\",\"x_msg\":\"after the bad lines\"}";
    }

    /** Every line of every record file (active and rolled) under {@code dir}. */
    static List<String> lines(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            List<String> out = new ArrayList<>();
            for (Path f : files.filter(p -> p.getFileName().toString().contains(".trace.log")).sorted()
                    .collect(Collectors.toList())) {
                out.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The record files under {@code dir}: the active one and its rolled siblings. */
    static List<Path> files(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().contains(".trace.log")).sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
