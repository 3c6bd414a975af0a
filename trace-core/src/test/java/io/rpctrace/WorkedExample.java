package io.rpctrace;

import java.util.concurrent.ExecutorService;

/**
 * The worked example of docs/model.md#worked-example, run through the manual API of two
 * "services" in one JVM: A serves {@code POST /orders}, calls MySQL, calls B over HTTP (B,
 * entered with the ids A sent, logs and calls Redis), logs, and hands two tasks that call MySQL
 * to {@code pool}. Shared as a test-jar class with the viewer's tests, which rebuild its tree.
 */
public final class WorkedExample {
    private WorkedExample() {
    }

    /** Runs the example with the tracer as started; returns its trace id. */
    @SuppressWarnings("try") // the spans are used for their scope
    public static String run(ExecutorService pool) throws Exception {
        try (Span a = Trace.enter(null, null).action("POST /orders")) {
            try (Span q = Trace.call("mysql.request")) {
                q.action("select 1");
            }
            try (Span http = Trace.call("http.post").action("http://b/reserve")) {
                String downstream = http.rpcId();
                Thread b = new Thread(() -> { // service B, entered with the headers A sent
                    try (Span served = Trace.enter(a.traceId(), downstream).action("POST /reserve")) {
                        Trace.info("b", "hello");
                        try (Span r = Trace.call("redis.request")) {
                            r.action("GET k");
                        }
                    }
                });
                b.start();
                b.join();
            }
            Trace.info("a", "after");
            Runnable task = () -> {
                try (Span q = Trace.call("mysql.request")) {
                    q.action("select 2");
                }
            };
            pool.submit(Trace.wrap(task)).get();
            pool.submit(Trace.wrap(task)).get();
            return a.traceId();
        }
    }
}
