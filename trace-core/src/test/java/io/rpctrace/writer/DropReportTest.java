package io.rpctrace.writer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rpctrace.config.Config;
import io.rpctrace.internal.Tracing;
import io.rpctrace.record.Record;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/metrics.md: the writer's drops reach the periodic
 * {@code metric.counter rpctrace_writer_dropped}.
 */
class DropReportTest {
    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        Tracing.start(Config.of(Collections.<String, String>emptyMap()), new io.rpctrace.CollectingWriter());
    }

    @Test
    void dropsAreReportedAsTheWriterDroppedCounter() {
        WriterSettings s = WriterSettings.defaults(dir, "orders");
        s.ringSize = 16;
        s.diagnostics = new TestFiles.Diagnostics().stream;
        RingFileWriter w = new RingFileWriter(s, false); // nothing drains: the 17th record is dropped
        Tracing tracing = Tracing.start(Config.of(Collections.<String, String>emptyMap()), w);
        Record r = new Record();
        for (int i = 0; i < 20; i++) {
            tracing.emit(r.reset().name("log.info").traceId("t").rpcId("0.1").extra("seq", i));
        }
        assertEquals(4, w.dropped());
        w.start();
        w.flush();
        tracing.metrics().flush();
        w.close();

        List<Map<String, Object>> counters = TestFiles.named(w.path(), "metric.counter").stream()
                .filter(c -> "rpctrace_writer_dropped".equals(c.get("x_module"))).collect(Collectors.toList());
        assertEquals(1, counters.size());
        assertEquals(4L, ((Map<?, ?>) counters.get(0).get("x_extra")).get("count"));
        assertEquals(16, TestFiles.named(w.path(), "log.info").size());
    }
}
