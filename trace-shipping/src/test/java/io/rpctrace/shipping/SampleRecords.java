package io.rpctrace.shipping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Records written by the packaged agent in a real run of {@link TracedShop} (served requests,
 * SQL, HTTP calls and their network failures, logs, counters, timers, per-IP windows), made
 * once per test JVM and shared by the tests that only need a realistic data set.
 */
final class SampleRecords {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SampleRecords instance;

    final TracedShop shop;
    final List<String> lines = new ArrayList<>();

    private SampleRecords(TracedShop shop) {
        this.shop = shop;
        lines.addAll(TracedShop.lines(shop.orderDir));
        lines.addAll(TracedShop.lines(shop.stockDir));
    }

    static synchronized SampleRecords get() {
        if (instance == null) {
            try {
                Path root = Files.createTempDirectory("rpctrace-sample");
                instance = new SampleRecords(TracedShop.run(root.resolve("order"), root.resolve("stock"), 120));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    static JsonNode parse(String line) {
        try {
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The daily index of a record: {@code rpctrace-YYYY.MM.DD} of its x_timestamp in UTC. */
    static String dailyIndex(JsonNode record) {
        return "rpctrace-" + DateTimeFormatter.ofPattern("yyyy.MM.dd").withZone(ZoneOffset.UTC)
                .format(Instant.ofEpochSecond(record.get("x_timestamp").asLong()));
    }
}
