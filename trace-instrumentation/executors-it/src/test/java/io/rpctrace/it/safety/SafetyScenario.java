package io.rpctrace.it.safety;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.internal.Tracing;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Child-JVM main: the application's results, whatever the advice does. */
public final class SafetyScenario {
    public static void main(String[] args) throws Exception {
        Victim v = new Victim();
        System.out.println("result=" + v.compute(21));
        try {
            v.fail();
            System.out.println("caught=nothing");
        } catch (Exception e) {
            System.out.println("caught=" + e);
        }
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Span req = Trace.enter(null, null)) {
            System.out.println("task=" + pool.submit(Trace::rpcId).get());
        }
        pool.shutdown();
        System.out.println("errors=" + Tracing.get().internalErrors().get());
    }
}
