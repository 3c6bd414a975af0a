package io.rpctrace.examples.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The load the benchmarks put on a service over HTTP, from a JVM of its own (so the client's
 * CPU never counts as the service's): a closed loop (clients sending back to back, for
 * throughput and CPU per request) and an open loop at a fixed rate (for latency, each counted
 * from the moment its request was due, so a stalled service cannot hide its stall: no
 * coordinated omission).
 */
public final class HttpLoad {
    private HttpLoad() {
    }

    /** One request; {@code n} numbers the requests of one loop. True when it succeeded. */
    @FunctionalInterface
    public interface Request {
        boolean send(long n);
    }

    /** What a closed loop did. */
    public record Closed(long done, long errors) {
    }

    /** Latencies of an open loop: the i-th request is due at start + i / rate. */
    public static final class Open {
        private final long[] sorted;
        private final long errors;
        private final long late;

        Open(long[] latencies, long errors, long late) {
            this.sorted = latencies.clone();
            Arrays.sort(this.sorted);
            this.errors = errors;
            this.late = late;
        }

        /** The {@code q} quantile in nanoseconds (0.5: the median). */
        public long pct(double q) {
            int n = sorted.length;
            return n == 0 ? 0 : sorted[Math.min(n - 1, Math.max(0, (int) Math.ceil(q * n) - 1))];
        }

        public long errors() {
            return errors;
        }

        /** Requests the generator itself sent more than one period late (their latency still starts when due). */
        public long late() {
            return late;
        }

        public int samples() {
            return sorted.length;
        }
    }

    /** {@code clients} threads sending back to back for {@code seconds}. */
    public static Closed closedLoop(Request request, int clients, int seconds) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong sequence = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    if (request.send(sequence.getAndIncrement())) {
                        done.incrementAndGet();
                    } else {
                        errors.incrementAndGet();
                    }
                }
            }, "load-client-" + c);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        return new Closed(done.get(), errors.get());
    }

    /** {@code rate} requests per second for {@code seconds}, each on a pool thread when it is due. */
    public static Open openLoop(Request request, int rate, int seconds) throws InterruptedException {
        int total = rate * seconds;
        long period = 1_000_000_000L / rate;
        long[] lat = new long[total];
        AtomicInteger errors = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        long start = System.nanoTime() + 10_000_000L;
        long late = 0;
        for (int i = 0; i < total; i++) {
            long due = start + i * period;
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            if (now - due > period) {
                late++;
            }
            int index = i;
            pool.execute(() -> {
                boolean ok = request.send(index);
                lat[index] = System.nanoTime() - due;
                if (!ok) {
                    errors.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        return new Open(lat, errors.get(), late);
    }

    /**
     * {@code GET url}, its body read whole so that the connection goes back to the JDK's
     * keep-alive cache; true on a 200.
     */
    public static boolean get(URL url) {
        try {
            HttpURLConnection c = (HttpURLConnection) url.openConnection();
            c.setConnectTimeout(5000);
            c.setReadTimeout(30000);
            int status = c.getResponseCode();
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                if (in != null) {
                    in.readAllBytes();
                }
            }
            return status == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
