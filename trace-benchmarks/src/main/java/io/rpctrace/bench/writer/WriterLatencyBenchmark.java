package io.rpctrace.bench.writer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * App-thread cost of one typical record: rpctrace's default writer vs Log4j2 AsyncLogger +
 * JsonTemplateLayout, 1 and 2 producer threads, in one run. Each producer pauses between
 * records (an untimed per-invocation setup) so the offered load stays within what both writers
 * sustain and the figure is the cost of the call, not the speed of a saturated queue; the
 * tear-down prints what rpctrace dropped (expected: 0). Run with {@code -prof gc} for
 * allocation per record.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g",
    "-Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector",
    "-Dlog4j2.configurationFile=log4j2-writer-bench.xml",
    "-Dlog4j2.enableThreadlocals=true", "-Dlog4j2.enableDirectEncoders=true",
    "-Dlog4j2.garbagefreeThreadContextMap=true"})
@State(Scope.Benchmark)
public class WriterLatencyBenchmark {
    @Param({"rpctrace", "log4j2"})
    public String writer;

    TraceSink sink;
    Path dir;

    /**
     * Per-producer pacing, outside the timed region, so that the offered load stays within what
     * both writers sustain: {@code spin} burns about 10 us of CPU between records (caches stay
     * warm: the best case), {@code sleep} parks 20 us, which the OS makes 50-80 us (a thread
     * serving requests: caches are cold when the record is written, and the writer thread gets
     * the CPU it needs on a small shared machine).
     */
    @State(Scope.Thread)
    public static class Pace {
        @Param({"spin", "sleep"})
        public String pace;
        boolean spin;

        @Setup(Level.Trial)
        public void mode() {
            spin = pace.equals("spin");
        }

        @Setup(Level.Invocation)
        public void between() {
            if (spin) {
                Blackhole.consumeCPU(4000);
            } else {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    private long started;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("rpctrace-bench-latency");
        sink = TraceSink.open(writer, dir, false);
        started = System.nanoTime();
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        long dropped = sink.dropped();
        sink.close();
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("%n%s: dropped %d, wrote %d bytes, offered about %.0f records/s%n", writer, dropped,
                sink.size(), sink.size() / 365.0 / seconds);
        if (dropped > 0) {
            System.out.println("WARNING: the offered load was more than the writer sustained");
        }
        WriterThroughputBenchmark.deleteTree(dir);
    }

    @Benchmark
    @Threads(1)
    public void oneProducer(Pace pace) {
        sink.write();
    }

    @Benchmark
    @Threads(2)
    public void twoProducers(Pace pace) {
        sink.write();
    }
}
