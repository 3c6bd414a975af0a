package io.rpctrace.bench.writer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput to disk with nothing dropped: one operation writes {@value #RECORDS} typical
 * records from {@code producers} threads as fast as they go (rpctrace with
 * {@code writer.blocking=true}, Log4j2 with its default blocking queue-full policy) and ends
 * when the file holds every one of them (its size reaches the exact expected byte count).
 * Score = milliseconds per operation; records/s = {@value #RECORDS} / score, and the
 * tear-down prints the bytes per record for MB/s.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 4)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g",
    "-Dlog4j2.contextSelector=org.apache.logging.log4j.core.async.AsyncLoggerContextSelector",
    "-Dlog4j2.configurationFile=log4j2-writer-bench.xml",
    "-Dlog4j2.enableThreadlocals=true", "-Dlog4j2.enableDirectEncoders=true",
    "-Dlog4j2.garbagefreeThreadContextMap=true"})
@State(Scope.Benchmark)
public class WriterThroughputBenchmark {
    static final int RECORDS = 500_000;

    @Param({"rpctrace", "log4j2"})
    public String writer;

    @Param({"1", "2"})
    public int producers;

    TraceSink sink;
    Path dir;
    ExecutorService pool;
    long bytesPerOp;

    @Setup(Level.Trial)
    public void open() throws Exception {
        dir = Files.createTempDirectory("rpctrace-bench-throughput");
        sink = TraceSink.open(writer, dir, true);
        pool = Executors.newFixedThreadPool(producers, r -> {
            Thread t = new Thread(r, "producer");
            t.setDaemon(true);
            return t;
        });
        // Lines differ only by the producer's thread id: learn each producer thread's line length.
        List<Long> lens = new ArrayList<>();
        for (int i = 0; i < producers; i++) {
            long before = sink.size();
            pool.submit(sink::write).get();
            awaitGrowth(before);
            lens.add(sink.size() - before);
            Thread.sleep(50); // a second producer must be a different pool thread
        }
        // The pool's threads are used in turn; each writes RECORDS / producers lines.
        long perOp = 0;
        for (long l : lens) {
            perOp += l * (RECORDS / producers);
        }
        bytesPerOp = perOp;
        System.out.println("\nline lengths " + lens + " bytes; " + bytesPerOp + " bytes per operation");
    }

    private void awaitGrowth(long before) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (sink.size() == before && System.nanoTime() < deadline) {
            sink.flush();
            Thread.onSpinWait();
        }
        long settle = sink.size();
        sink.awaitSize(settle);
    }

    @Benchmark
    public long writeAndWaitForTheFile() throws Exception {
        long target = sink.size() + bytesPerOp;
        int each = RECORDS / producers;
        List<Future<?>> done = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < each; i++) {
                    sink.write();
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        sink.awaitSize(target);
        return target;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        pool.shutdownNow();
        long dropped = sink.dropped();
        sink.close();
        System.out.println("\n" + writer + " x" + producers + ": dropped " + dropped + ", " + (bytesPerOp / RECORDS)
                + " bytes per record; first line: " + firstLine(sink.file));
        deleteTree(dir);
    }

    static String firstLine(Path file) throws IOException {
        try (java.io.BufferedReader r = Files.newBufferedReader(file)) {
            return r.readLine();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
