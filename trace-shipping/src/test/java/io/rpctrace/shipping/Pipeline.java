package io.rpctrace.shipping;

import com.fasterxml.jackson.databind.JsonNode;
import io.rpctrace.testing.kafka.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole shipping path with real parts: rsyslog shippers (one per "host", each following a
 * log directory) -> a KRaft Kafka broker in this JVM -> rsyslog indexers (one per engine, each
 * its own consumer group) -> OpenSearch / Elasticsearch.
 */
final class Pipeline implements AutoCloseable {
    final Path dir;
    final KafkaBroker broker;
    final String topic;
    final List<Rsyslog> processes = new ArrayList<>();

    Pipeline(String name) {
        Rsyslog.requireInstalled();
        try {
            dir = Files.createTempDirectory("rpctrace-pipeline-" + name);
            broker = KafkaBroker.start();
            topic = "rpctrace-" + name;
            broker.createTopics(3, topic);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A shipper on host {@code host} following {@code logDir}'s record files, rolled ones included. */
    Rsyslog ship(String host, Path logDir) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RPCTRACE_FILES", logDir + "/*.trace.log*");
        env.put("RPCTRACE_KAFKA", broker.bootstrap());
        env.put("RPCTRACE_TOPIC", topic);
        env.put("RPCTRACE_HOST", host);
        env.put("RPCTRACE_WORKDIR", dir.resolve("shipper-" + host).toString());
        Rsyslog r = Rsyslog.start("shipper-" + host, "shipper.conf", env, dir);
        processes.add(r);
        return r;
    }

    /** An indexer into {@code engineUrl} in consumer group {@code group}. */
    Rsyslog index(String group, String engineUrl) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("RPCTRACE_KAFKA", broker.bootstrap());
        env.put("RPCTRACE_TOPIC", topic);
        env.put("RPCTRACE_GROUP", group);
        env.put("RPCTRACE_ENGINE", engineUrl);
        env.put("RPCTRACE_WORKDIR", dir.resolve("indexer-" + group).toString());
        env.put("RPCTRACE_DEAD_LETTER", deadLetter(group).toString());
        Rsyslog r = Rsyslog.start("indexer-" + group, "indexer.conf", env, dir);
        processes.add(r);
        return r;
    }

    Path deadLetter(String group) {
        return dir.resolve("dead-letter-" + group + ".ndjson");
    }

    /** Documents of these hosts in every rpctrace index, after a refresh. */
    /**
     * The documents of these hosts. An index the first bulk of a day has just created answers 503
     * ("all shards failed") until its primary shard has started: the count then waits for the
     * indices to be yellow and asks again, for up to 60 s, before it fails.
     */
    static long count(SearchEngine e, List<String> hosts) {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            e.call("POST", "/rpctrace-*/_refresh", null, 503);
            SearchEngine.Response r = e.call("POST", "/rpctrace-*/_count", "{\"query\":" + hostsQuery(hosts) + "}", 503);
            if (r.status() != 503) {
                return r.json().path("count").asLong();
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(e + ": POST /rpctrace-*/_count answered 503 for 60 s: " + r.body());
            }
            e.call("GET", "/_cluster/health/rpctrace-*?wait_for_status=yellow&timeout=10s", null, 408);
        }
    }

    static String hostsQuery(List<String> hosts) {
        return "{\"terms\":{\"host.name\":[\"" + String.join("\",\"", hosts) + "\"]}}";
    }

    /**
     * Waits until the engine holds exactly {@code expected} documents of these hosts; fails at
     * once on more (a duplicate), after {@code seconds} on fewer, with what rsyslog said.
     */
    void awaitCount(SearchEngine e, List<String> hosts, long expected, int seconds) {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        long n = -1;
        while (System.currentTimeMillis() < deadline) {
            n = count(e, hosts);
            if (n > expected) {
                throw new AssertionError(e + ": " + n + " documents of " + hosts + ", " + expected + " records written");
            }
            if (n == expected) {
                return;
            }
            TracedShop.sleep(500);
        }
        throw new AssertionError(e + ": " + n + " documents of " + hosts + " after " + seconds + " s, " + expected
                + " records written" + said());
    }

    /** Every hit of a query on the hosts' documents (scrolled past 10 000). */
    static List<JsonNode> documents(SearchEngine e, List<String> hosts) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode r = e.post("/rpctrace-*/_search?scroll=1m", "{\"size\":5000,\"query\":" + hostsQuery(hosts) + "}");
        while (r.path("hits").path("hits").size() > 0) {
            r.path("hits").path("hits").forEach(out::add);
            r = e.post("/_search/scroll", "{\"scroll\":\"1m\",\"scroll_id\":\"" + r.path("_scroll_id").asText() + "\"}");
        }
        return out;
    }

    /** rsyslog's hash64() as Debian builds it (fmhash without xxhash): h = 33*h ^ byte, bytes signed. */
    static long rsyslogHash64(byte[] line) {
        long h = 5381;
        for (byte b : line) {
            h = 33 * h ^ b;
        }
        return h;
    }

    /** Keeps the files when the pipeline closes (a failed test's evidence); the test says where. */
    boolean keepFiles;

    /** What each rsyslog said, for a failure's message. */
    String said() {
        StringBuilder said = new StringBuilder();
        for (Rsyslog r : processes) {
            said.append("\n--- ").append(r.isAlive() ? "running" : "stopped").append(": ").append(r.output());
        }
        return said.toString();
    }

    @Override
    public void close() {
        for (Rsyslog r : processes) {
            r.stop();
        }
        try {
            broker.close();
            if (keepFiles) {
                System.out.println("Pipeline: files kept in " + dir);
                return;
            }
            // the hosts' files, offsets, queues and dead letters (a failed test has said what it needed)
            try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
