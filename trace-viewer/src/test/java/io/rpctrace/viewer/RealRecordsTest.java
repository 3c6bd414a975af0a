package io.rpctrace.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.WorkedExample;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worked example of docs/model.md#worked-example run through trace-core's manual API
 * ({@link WorkedExample}) and written by its file writer: the viewer reads the records exactly
 * as the encoder writes them.
 */
class RealRecordsTest {
    @TempDir
    Path dir;

    @Test
    void theWorkedExampleWrittenByTraceCoreIsRebuilt() throws Exception {
        System.setProperty("rpctrace.log.dir", dir.toString());
        System.setProperty("rpctrace.service", "shop");
        System.setProperty("rpctrace.version", "java-shop-1.0");
        System.setProperty("rpctrace.flush.interval.ms", "20");
        String traceId;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            traceId = WorkedExample.run(pool);
        } finally {
            pool.shutdown();
            pool.awaitTermination(5, TimeUnit.SECONDS);
            System.clearProperty("rpctrace.flush.interval.ms");
            System.clearProperty("rpctrace.log.dir");
        }
        Path file = dir.resolve("shop.trace.log");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count(file, traceId) < 9 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }

        Viewer v = Viewer.run("trace", traceId, dir.toString());

        assertEquals(0, v.status, v.err);
        assertEquals(Arrays.asList(
                "0 0.1 request.info",
                "0 0.2 mysql.request",
                "0 0.3 http.post",
                "1 0.3.1 request.info",
                "1 0.3.1 log.info",
                "1 0.3.2 redis.request",
                "0 0.3 log.info",
                "0 0.4 ?",
                "1 0.4.2 mysql.request",
                "0 0.5 ?",
                "1 0.5.2 mysql.request"), Rows.of(v.out));
        assertTrue(v.out.contains("0.3 http.post  java-shop-1.0  http://b/reserve"), v.out);
        assertTrue(v.out.contains("-> java-shop-1.0 0.3.1, network "), v.out);
        assertTrue(!v.err.contains("malformed"), v.err);
    }

    private static int count(Path file, String traceId) throws java.io.IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        int n = 0;
        for (String line : new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n")) {
            n += line.contains("\"" + traceId + "\"") && line.endsWith("}") ? 1 : 0;
        }
        return n;
    }
}
