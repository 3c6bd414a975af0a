package io.rpctrace.examples.shop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JVMs the demo starts: each writes stdout and stderr to {@code <name>.out}; a service is
 * ready once it printed {@code ready}. {@link #close()} (also run by a shutdown hook, so Ctrl-C
 * leaves nothing behind) stops them in reverse order of start: a polite SIGTERM first, so the
 * agent flushes its records, then a kill for whatever did not stop in time.
 */
final class Processes implements AutoCloseable {
    private final List<Child> children = new ArrayList<>();
    private final Thread hook = new Thread(this::stopAll, "shop-demo-shutdown");
    private boolean closed;

    Processes() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** One started JVM. */
    record Child(String name, Process process, Path out) {
        boolean ready() {
            return output().lines().anyMatch(Shop.READY::equals);
        }

        String output() {
            try {
                return Files.isRegularFile(out) ? Files.readString(out, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                return "";
            }
        }
    }

    /** Starts {@code command}, its output to {@code out}. */
    synchronized Child start(String name, List<String> command, Path out) {
        if (closed) {
            throw new IllegalStateException("stopping");
        }
        try {
            Files.createDirectories(out.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            Child c = new Child(name, p, out);
            children.add(c);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until every child printed {@code ready}; fails naming the one that died or hung, with its output. */
    void awaitReady(List<Child> which, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        List<Child> waiting = new ArrayList<>(which);
        while (!waiting.isEmpty()) {
            for (Child c : new ArrayList<>(waiting)) {
                if (c.ready()) {
                    waiting.remove(c);
                } else if (!c.process().isAlive()) {
                    throw new IllegalStateException(c.name() + " exited with " + c.process().exitValue()
                            + " before it was ready; its output (" + c.out() + "):\n" + tail(c.output()));
                }
            }
            if (!waiting.isEmpty() && System.nanoTime() > deadline) {
                Child c = waiting.get(0);
                throw new IllegalStateException(c.name() + " was not ready after " + timeoutSeconds + " s; its output ("
                        + c.out() + "):\n" + tail(c.output()));
            }
            Thread.sleep(50);
        }
    }

    /** Stops every child (idempotent). */
    @Override
    public void close() {
        stopAll();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself
        }
    }

    private synchronized void stopAll() {
        closed = true;
        // Services first (they flush their records on SIGTERM), the broker (started first) last.
        List<Child> order = new ArrayList<>(children);
        java.util.Collections.reverse(order);
        List<Child> services = order.stream().filter(c -> !c.name().equals("kafka")).toList();
        stop(services);
        stop(order.stream().filter(c -> c.name().equals("kafka")).toList());
        children.clear();
    }

    private static void stop(List<Child> which) {
        for (Child c : which) {
            c.process().destroy();
        }
        for (Child c : which) {
            try {
                if (!c.process().waitFor(15, TimeUnit.SECONDS)) {
                    c.process().destroyForcibly();
                    c.process().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                c.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A free TCP port on 127.0.0.1. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(String text) {
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
