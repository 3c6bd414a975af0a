package io.rpctrace.shipping;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/**
 * The figures of docs/shipping.md#sizing, measured here with the real parts (not a test: its name
 * keeps it out of the default run; CI does not run it):
 *
 * <pre>mvn -B verify -pl trace-shipping -am -Djdk25.skip=true -Dtest=ShippingBenchmark -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * N records made from the agent's own (the sample run's lines, each copy with a trace id of its
 * own) are written to a followed directory; measured: the shipper's CPU per record (utime+stime
 * of the rsyslogd process from /proc, all its threads, librdkafka's included) against a baseline
 * shipper in the same run that reads the same file and sends nothing; the rate into Kafka; the
 * indexer's rate into OpenSearch; the end-to-end rate with both running; Kafka's and the index's
 * bytes per record (the index after a force-merge).
 */
class ShippingBenchmark {
    static final int N = Integer.getInteger("rpctrace.bench.records", 200_000);
    static final long CLK_TCK = 100;

    @Test
    void measure() throws Exception {
        List<String> sample = SampleRecords.get().lines;
        SearchEngine os = SearchEngine.openSearch();
        IndexTemplateTest.runInstall(os.url());
        StringBuilder report = new StringBuilder();
        try (Pipeline p = new Pipeline("bench")) {
            Path nullDir = Files.createDirectories(p.dir.resolve("null-host"));
            Path dir = Files.createDirectories(p.dir.resolve("bench-host"));
            long bytes = write(dir.resolve("bench.trace.log"), sample, N, "a");
            Files.copy(dir.resolve("bench.trace.log"), nullDir.resolve("bench.trace.log"));
            report.append(String.format(Locale.ROOT, "records: %d, %.1f bytes each on disk%n", N, bytes / (double) N));

            // baseline: the same input and rule, each line written to /dev/null instead of sent to Kafka
            Path nullConf = p.dir.resolve("shipper-null.conf");
            Files.writeString(nullConf, Files.readString(IndexTemplateTest.shippingDir().resolve("rsyslog/shipper.conf"))
                    .replaceAll("(?s)  action\\(type=\"omkafka\".*?\\n  \\)\\n", "  action(type=\"omfile\" file=\"/dev/null\" template=\"rpctrace_line\")\n"));
            Map<String, String> nullEnv = Map.of("RPCTRACE_FILES", nullDir + "/*.trace.log*", "RPCTRACE_KAFKA", "-",
                    "RPCTRACE_TOPIC", "-", "RPCTRACE_HOST", "null-host",
                    "RPCTRACE_WORKDIR", p.dir.resolve("null-work").toString());
            Rsyslog baseline = Rsyslog.startConf("shipper-null", nullConf, nullEnv, p.dir);
            double baselineCpu = cpuUntilIdle(baseline);
            baseline.stop();

            long t0 = System.nanoTime();
            Rsyslog shipper = p.ship("bench-host", dir);
            long cpu0 = cpuTicks(shipper.pid());
            awaitTopic(p, N);
            double shipS = (System.nanoTime() - t0) / 1e9;
            double shipCpu = (cpuTicks(shipper.pid()) - cpu0) / (double) CLK_TCK;
            report.append(String.format(Locale.ROOT,
                    "shipper: %.2f us CPU per record (baseline reading without sending: %.2f us); %.0f records/s into Kafka%n",
                    shipCpu * 1e6 / N, baselineCpu * 1e6 / N, N / shipS));

            long t1 = System.nanoTime();
            Rsyslog indexer = p.index("bench", os.url());
            p.awaitCount(os, List.of("bench-host"), N, 900);
            double indexS = (System.nanoTime() - t1) / 1e9;
            report.append(String.format(Locale.ROOT, "indexer: %.0f records/s Kafka -> OpenSearch 2.19 (1 shard)%n", N / indexS));

            long t2 = System.nanoTime();
            write(dir.resolve("bench.trace.log"), sample, N, "b");
            p.awaitCount(os, List.of("bench-host"), 2L * N, 900);
            double e2eS = (System.nanoTime() - t2) / 1e9;
            report.append(String.format(Locale.ROOT, "end to end: %.0f records/s file -> shipper -> Kafka -> indexer -> OpenSearch%n",
                    N / e2eS));
            indexer.stop();
            long kafkaBytes;
            try (java.util.stream.Stream<Path> files = Files.walk(p.broker.dir())) {
                kafkaBytes = files.filter(f -> f.getParent().getFileName().toString().startsWith(p.topic + "-")
                        && f.getFileName().toString().endsWith(".log")).mapToLong(f -> f.toFile().length()).sum();
            }
            report.append(String.format(Locale.ROOT, "kafka: %.1f bytes per record in the topic's log segments (lz4 batches)%n",
                    kafkaBytes / (2.0 * N)));

            os.post("/rpctrace-*/_forcemerge?max_num_segments=1", null);
            JsonNode stats = os.get("/rpctrace-*/_stats/store,docs").path("_all").path("primaries");
            double perDoc = stats.path("store").path("size_in_bytes").asDouble() / stats.path("docs").path("count").asDouble();
            report.append(String.format(Locale.ROOT, "index: %.1f bytes per record on disk after a force-merge (%d documents in all rpctrace-* indices)%n",
                    perDoc, stats.path("docs").path("count").asLong()));
        }
        System.out.println("rpctrace shipping benchmark\n" + report);
        Files.writeString(Path.of("target", "shipping-benchmark.txt"), report.toString());
    }

    /** N records: the sample's lines over and over, each copy with its own trace id. */
    static long write(Path file, List<String> sample, int n, String tag) throws IOException {
        long bytes = 0;
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND)) {
            for (int i = 0; i < n; i++) {
                String line = sample.get(i % sample.size()).replaceFirst("\"x_trace_id\":\"[^\"]*\"",
                        "\"x_trace_id\":\"" + String.format("%s%031x", tag, i) + "\"");
                w.write(line);
                w.write('\n');
                bytes += line.length() + 1;
            }
        }
        return bytes;
    }

    static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
    }

    /** CPU seconds of a process from now until it has used none for a second. */
    static double cpuUntilIdle(Rsyslog r) throws IOException {
        long start = cpuTicks(r.pid());
        long last = start;
        while (true) {
            TracedShop.sleep(1000);
            long now = cpuTicks(r.pid());
            if (now == last) {
                return (now - start) / (double) CLK_TCK;
            }
            last = now;
        }
    }

    static void awaitTopic(Pipeline p, long n) {
        Properties c = new Properties();
        c.put("bootstrap.servers", p.broker.bootstrap());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(p.topic).forEach(i -> parts.add(new TopicPartition(p.topic, i.partition())));
            long deadline = System.currentTimeMillis() + 600_000;
            while (consumer.endOffsets(parts).values().stream().mapToLong(Long::longValue).sum() < n) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("fewer than " + n + " messages in Kafka after 600 s");
                }
                TracedShop.sleep(50);
            }
        }
    }
}
