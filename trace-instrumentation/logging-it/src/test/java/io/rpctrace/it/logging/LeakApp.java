package io.rpctrace.it.logging;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two threads, each 10k requests alternating debug (right token) and plain, on the same
 * threads: prints {@code RESULT leaks=<plain requests that saw DEBUG enabled> missed=<debug
 * requests that did not>}.
 */
public final class LeakApp {
    static final Logger LOG = LoggerFactory.getLogger("shop.leak");
    static final int PER_THREAD = 10_000;

    public static void main(String[] args) throws Exception {
        AtomicInteger leaks = new AtomicInteger();
        AtomicInteger missed = new AtomicInteger();
        Runnable work = () -> {
            for (int i = 0; i < PER_THREAD; i++) {
                boolean debug = i % 2 == 0;
                try (Span s = debug ? Trace.enter(null, null, "1", "s3cret") : Trace.enter(null, null)) {
                    if (LOG.isDebugEnabled() != debug) {
                        (debug ? missed : leaks).incrementAndGet();
                    }
                    LOG.debug(debug ? "leak dbg {}" : "leak plain {}", i);
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
