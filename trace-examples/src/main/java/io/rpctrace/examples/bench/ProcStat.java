package io.rpctrace.examples.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What Linux says about a process: its CPU time ({@code /proc/<pid>/stat}, user + system) and
 * resident memory ({@code VmRSS} of {@code /proc/<pid>/status}). CPU time hardly depends on
 * what else the machine runs, unlike throughput and latency.
 */
public final class ProcStat {
    /** Clock ticks per second of {@code /proc/<pid>/stat}: USER_HZ, 100 on every Linux port that runs a JVM. */
    private static final long TICKS_PER_SECOND = 100;

    private ProcStat() {
    }

    /** CPU time used so far (user + system), in nanoseconds; from {@link ProcessHandle} where there is no /proc. */
    public static long cpuNanos(long pid) {
        Path stat = Paths.get("/proc", Long.toString(pid), "stat");
        try {
            return statCpuNanos(Files.readString(stat, StandardCharsets.US_ASCII));
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid).flatMap(h -> h.info().totalCpuDuration())
                    .map(java.time.Duration::toNanos).orElse(0L);
        }
    }

    /** The groups {@link #threadCpuNanos} sums a process's threads into. */
    public static final String APPLICATION = "application";
    public static final String JIT = "jit";
    public static final String GC = "gc";
    public static final String RPCTRACE = "rpctrace";

    /**
     * CPU time used so far (user + system, nanoseconds) by the live threads of {@code pid}, summed
     * per group of {@link #group(String)} ({@code /proc/<pid>/task/<tid>/stat}); empty where there is
     * no /proc. A thread that ended since an earlier reading is missing from the later one, so a
     * difference of two readings is good for threads that live throughout (a service's pools, the
     * JVM's own threads); {@link #cpuNanos} counts every thread.
     */
    public static Map<String, Long> threadCpuNanos(long pid) {
        Map<String, Long> byGroup = new TreeMap<>();
        Path tasks = Paths.get("/proc", Long.toString(pid), "task");
        try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(t -> {
                try {
                    String s = Files.readString(t.resolve("stat"), StandardCharsets.US_ASCII);
                    byGroup.merge(group(s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'))), statCpuNanos(s), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended between the listing and the read
                }
            });
        } catch (IOException | RuntimeException e) {
            return new TreeMap<>();
        }
        return byGroup;
    }

    /** User + system CPU time of a {@code /proc/.../stat} line, in nanoseconds. */
    private static long statCpuNanos(String stat) {
        // the command name (field 2) may hold spaces: count fields after its closing parenthesis
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);   // fields 14 (utime) and 15 (stime)
        return ticks * (1_000_000_000L / TICKS_PER_SECOND);
    }

    /**
     * The group of a JVM thread by its kernel name ({@code comm}, at most 15 characters):
     * {@link #JIT} the compiler threads, {@link #GC} the collector's and the VM's own threads,
     * {@link #RPCTRACE} the agent's (writer, metrics), {@link #APPLICATION} the rest.
     */
    static String group(String comm) {
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre") || comm.startsWith("Sweeper")) {
            return JIT;
        }
        if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.startsWith("VM ") || comm.startsWith("ParGC")
                || comm.startsWith("Monitor Deflati")) {
            return GC;
        }
        if (comm.startsWith("rpctrace")) {
            return RPCTRACE;
        }
        return APPLICATION;
    }

    /** Resident set size in bytes, 0 when unknown. */
    public static long rssBytes(long pid) {
        try (Stream<String> lines = Files.lines(Paths.get("/proc", Long.toString(pid), "status"))) {
            return lines.filter(l -> l.startsWith("VmRSS:")).findFirst()
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).orElse(0L);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Bytes in the regular files under {@code dir} (or of the file {@code dir}); 0 when missing. */
    public static long bytesUnder(Path dir) {
        if (!Files.exists(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }
}
