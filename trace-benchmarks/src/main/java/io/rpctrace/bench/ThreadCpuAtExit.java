package io.rpctrace.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs another class's {@code main}, then prints to stderr the process's CPU and each live
 * thread's, summed by thread name without its trailing number (Linux {@code /proc/self}):
 * which share of a start-up the {@code main} thread, the JIT compilers and GC took
 * (docs/benchmarks.md, "Start-up"). Usage: {@code ThreadCpuAtExit <main class> [args...]}.
 */
public final class ThreadCpuAtExit {
    /** Clock ticks per second of {@code /proc} times (USER_HZ, 100 on Linux). */
    private static final long TICK_MS = 10;

    private ThreadCpuAtExit() {
    }

    public static void main(String[] args) throws Exception {
        String[] rest = new String[args.length - 1];
        System.arraycopy(args, 1, rest, 0, rest.length);
        Class.forName(args[0]).getMethod("main", String[].class).invoke(null, (Object) rest);
        Map<String, Long> byName = new TreeMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Paths.get("/proc/self/task"))) {
            for (Path task : tasks) {
                String stat;
                try {
                    stat = new String(Files.readAllBytes(task.resolve("stat")), "US-ASCII");
                } catch (IOException ended) {
                    continue;   // the thread ended meanwhile
                }
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[0-9]+$", "#");
                byName.merge(name, cpuTicks(stat), Long::sum);
            }
        }
        StringBuilder line = new StringBuilder("cpu_ms process=")
                .append(cpuTicks(new String(Files.readAllBytes(Paths.get("/proc/self/stat")), "US-ASCII")) * TICK_MS);
        for (Map.Entry<String, Long> e : byName.entrySet()) {
            if (e.getValue() > 0) {
                line.append(' ').append(e.getKey().replace(' ', '_')).append('=').append(e.getValue() * TICK_MS);
            }
        }
        System.err.println(line);
    }

    /** utime + stime, the 14th and 15th fields of a stat line (counted after the command's parentheses). */
    private static long cpuTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
