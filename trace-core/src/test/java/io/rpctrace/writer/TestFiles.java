package io.rpctrace.writer;

import io.rpctrace.CollectingWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Helpers for the writer tests: reading log files back, a settable clock, captured stderr. */
final class TestFiles {
    private TestFiles() {
    }

    /** Every line of {@code file}, each checked to be a whole JSON object, parsed. */
    static List<Map<String, Object>> records(Path file) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') {
                throw new AssertionError(file + " ends in a partial line");
            }
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n", -1)) {
                if (!line.isEmpty()) {
                    out.add(CollectingWriter.parse(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * {@code <dir>/<base>} and the files rolled from it ({@code <base>.<yyyy-MM-dd-HH>}), oldest
     * first: what a run wrote, also when it crossed the hour at which the file rolls.
     */
    static List<Path> withRolled(Path dir, String base) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> rolled = files.filter(f -> f.getFileName().toString().startsWith(base + "."))
                    .sorted().collect(Collectors.toList());
            rolled.add(dir.resolve(base));
            return rolled;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The records of {@code file} named {@code name}. */
    static List<Map<String, Object>> named(Path file, String name) {
        return records(file).stream().filter(r -> name.equals(r.get("x_name"))).collect(Collectors.toList());
    }

    /** The writer's own notices ({@code x_module = rpctrace_writer}). */
    static List<Map<String, Object>> notices(Path file) {
        return records(file).stream().filter(r -> WriterLoop.MODULE.equals(r.get("x_module")))
                .collect(Collectors.toList());
    }

    /** File names in {@code dir}, sorted. */
    static List<String> names(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One record a producer writes: its number {@code producer}, its {@code seq}-th. */
    interface Step {
        void write(int producer, int seq);
    }

    /** Runs {@code threads} producers of {@code perThread} records each, started together, and waits for them. */
    static void produce(int threads, int perThread, Step step) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int k = t;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    step.write(k, i);
                }
            });
            th.start();
            producers.add(th);
        }
        go.countDown();
        for (Thread th : producers) {
            th.join();
        }
    }

    /**
     * Runs {@code threads} producers of up to {@code perThread} records each, closes {@code w} in
     * the middle of their loops and returns how many records they attempted in all.
     */
    static long closeWhileProducing(RingFileWriter w, int threads, int perThread, Step step) throws InterruptedException {
        long[] attempts = new long[threads];
        CountDownLatch running = new CountDownLatch(threads);
        List<Thread> producers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int k = t;
            Thread th = new Thread(() -> {
                running.countDown();
                for (int i = 0; i < perThread; i++) {
                    step.write(k, i);
                    attempts[k]++;
                }
            });
            th.start();
            producers.add(th);
        }
        running.await();
        Thread.sleep(20);
        w.close(); // in the middle of the producers' loops
        long attempted = 0;
        for (int t = 0; t < threads; t++) {
            producers.get(t).join();
            attempted += attempts[t];
        }
        return attempted;
    }

    /** Waits (up to 20 s, polling) for a condition the writer thread brings about. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** A clock the test moves by hand. */
    static final class FakeClock extends Clock {
        final AtomicLong millis;

        FakeClock(String isoInstant) {
            millis = new AtomicLong(Instant.parse(isoInstant).toEpochMilli());
        }

        void advanceMinutes(long m) {
            millis.addAndGet(m * 60_000L);
        }

        @Override public ZoneId getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(ZoneId zone) { throw new UnsupportedOperationException(); }
        @Override public Instant instant() { return Instant.ofEpochMilli(millis.get()); }
        @Override public long millis() { return millis.get(); }
    }

    /** A stderr stand-in whose text the test can read. */
    static final class Diagnostics {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final PrintStream stream = new PrintStream(bytes, true);

        synchronized String text() {
            return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
        }

        long count(String fragment) {
            return text().lines().filter(l -> l.contains(fragment)).count();
        }
    }
}
