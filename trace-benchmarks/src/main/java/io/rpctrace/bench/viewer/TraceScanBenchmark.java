package io.rpctrace.bench.viewer;

import io.rpctrace.viewer.ViewerMain;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code trace <id> <dir>} over a generated log directory (1 GiB by default, made once by
 * {@link LogDirGenerator} under {@code -Drpctrace.bench.logdir}, default
 * {@code /tmp/rpctrace-viewer-bench}). The first iterations warm the page cache. The
 * {@code mib} counter is the scan rate in MiB/s; the score is whole commands per second.
 * The heap is capped at 64 MiB to show memory does not grow with the logs.
 *
 * <pre>
 * java -jar trace-benchmarks/target/benchmarks.jar TraceScanBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx64m"})
@State(Scope.Benchmark)
public class TraceScanBenchmark {
    @Param({"1g"})
    public String size;

    /** Scanning threads (the viewer's default is the cores, at most 4). */
    @Param({"1", "2"})
    public int threads;

    private Path dir;
    private long bytes;
    private final PrintStream devNull = new PrintStream(new OutputStream() {
        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    });

    /** MiB scanned, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Scanned {
        public long mib;
    }

    @Setup(Level.Trial)
    public void generate() throws IOException {
        dir = Paths.get(System.getProperty("rpctrace.bench.logdir", "/tmp/rpctrace-viewer-bench"), size);
        LogDirGenerator.generate(dir, LogDirGenerator.parseSize(size));
        try (Stream<Path> files = Files.list(dir)) {
            bytes = files.filter(f -> f.getFileName().toString().contains(".log")).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    @Benchmark
    public int findTrace(Scanned scanned) {
        int status = ViewerMain.run(new String[] {"trace", LogDirGenerator.NEEDLE_TRACE, dir.toString(),
            "--threads", String.valueOf(threads), "--quiet"}, new ByteArrayInputStream(new byte[0]), devNull, devNull);
        if (status != 0) {
            throw new IllegalStateException("trace not found: status " + status);
        }
        scanned.mib += bytes >> 20;
        return status;
    }
}
