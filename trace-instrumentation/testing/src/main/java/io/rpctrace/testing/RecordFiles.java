package io.rpctrace.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads {@code <log.dir>/*.trace.log}. A mark remembers how far each file had been read, so
 * a test sees only the records written after it started.
 */
public final class RecordFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private final Path dir;
    private final Map<Path, Long> offsets = new HashMap<>();

    public RecordFiles(Path dir) {
        this.dir = dir;
    }

    /** Forget what was written so far: {@link #read()} returns only later records. */
    public RecordFiles mark() {
        offsets.clear();
        for (Path f : files()) {
            try {
                offsets.put(f, Files.size(f));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return this;
    }

    /** Every record written since the {@link #mark()} (or ever), in file order. */
    public List<TraceRecord> read() {
        List<TraceRecord> out = new ArrayList<>();
        for (Path f : files()) {
            try {
                byte[] all = Files.readAllBytes(f);
                int from = (int) Math.min(all.length, offsets.getOrDefault(f, 0L));
                String text = new String(Arrays.copyOfRange(all, from, all.length), StandardCharsets.UTF_8);
                for (String line : text.split("\n")) {
                    if (!line.isEmpty()) {
                        out.add(parse(line));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Parses one line; fails the test with the line when it is not a JSON object. */
    public static TraceRecord parse(String line) {
        try {
            return new TraceRecord(JSON.readValue(line, MAP), line);
        } catch (IOException e) {
            throw new AssertionError("not a JSON record: " + line, e);
        }
    }

    private List<Path> files() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".trace.log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
