package io.rpctrace.examples.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcStatTest {
    @Test
    void threadsAreGroupedByTheirKernelNames() {
        assertEquals(ProcStat.JIT, ProcStat.group("C2 CompilerThre"));
        assertEquals(ProcStat.JIT, ProcStat.group("C1 CompilerThre"));
        assertEquals(ProcStat.GC, ProcStat.group("GC Thread#1"));
        assertEquals(ProcStat.GC, ProcStat.group("G1 Conc#0"));
        assertEquals(ProcStat.GC, ProcStat.group("VM Thread"));
        assertEquals(ProcStat.RPCTRACE, ProcStat.group("rpctrace-writer"));
        assertEquals(ProcStat.APPLICATION, ProcStat.group("http-nio-8080-e"));
        assertEquals(ProcStat.APPLICATION, ProcStat.group("main"));
    }

    @Test
    void thisProcessThreadsAddUpToNoMoreThanItsTotal() {
        assumeTrue(Files.isDirectory(Paths.get("/proc/self/task")), "Linux /proc");
        long pid = ProcessHandle.current().pid();
        long spin = System.nanoTime() + 300_000_000L;
        long x = 0;
        while (System.nanoTime() < spin) {
            x += Long.numberOfTrailingZeros(System.nanoTime());
        }
        Map<String, Long> groups = ProcStat.threadCpuNanos(pid);
        long total = ProcStat.cpuNanos(pid);
        long sum = groups.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(groups.getOrDefault(ProcStat.APPLICATION, 0L) >= 200_000_000L,
                "this thread spun 0.3 s: " + groups + " (" + x + ")");
        assertTrue(sum <= total + 20_000_000L, "threads " + sum + " ns, process " + total + " ns");
    }
}
