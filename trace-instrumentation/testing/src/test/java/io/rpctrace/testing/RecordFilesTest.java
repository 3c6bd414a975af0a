package io.rpctrace.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordFilesTest {
    @TempDir
    Path dir;

    private static String line(String rpcId) {
        return "{\"x_name\":\"task\",\"x_trace_id\":\"t\",\"x_rpc_id\":\"" + rpcId + "\"}\n";
    }

    private void append(String file, String... rpcIds) throws IOException {
        for (String id : rpcIds) {
            Files.write(dir.resolve(file), line(id).getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    private List<String> ids(RecordFiles files) {
        return files.read().stream().map(TraceRecord::rpcId).toList();
    }

    @Test
    void aFileRolledAtAnHoursBoundaryIsStillRead() throws IOException {
        append("svc.trace.log", "0.1", "0.2");
        RecordFiles files = new RecordFiles(dir).mark();
        append("svc.trace.log", "0.3");
        // The writer rolls the file (a rename) at the boundary and starts a new one.
        Files.move(dir.resolve("svc.trace.log"), dir.resolve("svc.trace.log.2026-12-07-01"));
        append("svc.trace.log", "0.4");
        assertEquals(List.of("0.3", "0.4"), ids(files));
        assertEquals(List.of("0.1", "0.2", "0.3", "0.4"), ids(new RecordFiles(dir)));
    }

    @Test
    void rolledFilesComeBeforeTheCurrentOneOfTheirService() throws IOException {
        append("b.trace.log", "b.3");
        append("b.trace.log.2026-12-07-01", "b.2");
        append("b.trace.log.2026-12-07-00", "b.1");
        append("a.trace.log", "a.1");
        append("a.out", "not-a-record");
        assertEquals(List.of("a.1", "b.1", "b.2", "b.3"), ids(new RecordFiles(dir)));
    }
}
