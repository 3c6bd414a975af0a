package io.rpctrace.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A small application for the agent start-up benchmark (docs/benchmarks.md, "Agent"): starts,
 * runs one task on a pool, exits. Timed whole with and without {@code -javaagent}.
 */
public final class StartupApp {
    private StartupApp() {
    }

    public static void main(String[] args) throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        System.out.println(pool.submit(() -> "hello from " + Thread.currentThread().getName()).get());
        pool.shutdown();
    }
}
