package io.rpctrace.it.metrics;

import io.rpctrace.internal.Tracing;
import java.lang.management.ManagementFactory;

/**
 * Three floods of {@value #IPS} distinct client IPs each through the served-request entry point
 * of the agent's tracer ({@code Tracing.served}, what every served HTTP and gRPC request calls
 * when it ends), printing the used heap after a full GC before and after each flood.
 */
public final class FloodScenario {
    static final int IPS = 100_000;

    public static void main(String[] args) {
        Tracing t = Tracing.get();
        flood(t, 1_000_000, 1_000); // warm up the code paths (these IPs take the table's places)
        long before = usedAfterGc();
        flood(t, 0, IPS);
        long afterFirst = usedAfterGc();
        flood(t, IPS, IPS);
        long afterSecond = usedAfterGc();
        flood(t, 2 * IPS, IPS);
        long afterThird = usedAfterGc();
        System.out.println("heap " + before + " " + afterFirst + " " + afterSecond + " " + afterThird);
    }

    private static void flood(Tracing t, int from, int n) {
        for (int i = from; i < from + n; i++) {
            String ip = "10." + ((i >> 16) & 255) + "." + ((i >> 8) & 255) + "." + (i & 255);
            t.served(ip, 100, 200, 1_000_000, "200", false);
        }
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
