package io.rpctrace.it.logging;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two threads, each 10k requests alternating debug (right token) and plain, on the same
 * threads: prints {@code RESULT leaks=<plain requests that saw DEBUG enabled> missed=<debug
 * requests that did not>}.
 */
public final class LeakApp {
    static final int PER_THREAD = 10_000;

    public static void main(String[] args) throws Exception {
        AppLog log = AppLog.of(args[0], "shop.leak");
        AtomicInteger leaks = new AtomicInteger();
        AtomicInteger missed = new AtomicInteger();
        Runnable work = () -> {
            for (int i = 0; i < PER_THREAD; i++) {
                boolean debug = i % 2 == 0;
                try (Span s = debug ? Trace.enter(Map.of("X-Debug", "1", "X-Debug-Token", "s3cret")::get)
                        : Trace.enter(null, null)) {
                    if (log.isDebugEnabled() != debug) {
                        (debug ? missed : leaks).incrementAndGet();
                    }
                    log.debug(debug ? "leak dbg {}" : "leak plain {}", i);
                }
            }
        };
        Thread a = new Thread(work, "leak-a");
        Thread b = new Thread(work, "leak-b");
        a.start();
        b.start();
        a.join();
        b.join();
        System.out.println("RESULT leaks=" + leaks + " missed=" + missed);
    }
}
