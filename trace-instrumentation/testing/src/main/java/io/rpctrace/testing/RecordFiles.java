package io.rpctrace.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads {@code <log.dir>/*.trace.log} and the files rolled from them ({@code *.trace.log.<period>}),
 * each service's rolled files before its current one. A mark remembers how far each file had
 * been read, so a test sees only the records written after it started; a file is known by its
 * file key (the inode), so a file rolled after the mark (renamed at an hour's boundary) is
 * still read from where the mark left it, and the new current file from its start.
 */
public final class RecordFiles {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    private final Path dir;
    private final Map<Object, Long> offsets = new HashMap<>();

    public RecordFiles(Path dir) {
        this.dir = dir;
    }

    /** Forget what was written so far: {@link #read()} returns only later records. */
    public RecordFiles mark() {
        offsets.clear();
        for (Path f : files()) {
            try {
                offsets.put(key(f), Files.size(f));
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
                int from = (int) Math.min(all.length, offsets.getOrDefault(key(f), 0L));
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
            return s.filter(p -> order(p) != null).sorted(Comparator.comparing(RecordFiles::order)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sorts a service's rolled files (by period) before its current one; null: not a record file. */
    private static String order(Path p) {
        String name = p.getFileName().toString();
        int at = name.indexOf(".trace.log");
        if (at < 0) {
            return null;
        }
        String base = name.substring(0, at + ".trace.log".length());
        String rest = name.substring(base.length());
        if (rest.isEmpty()) {
            return base + "\uffff";
        }
        return rest.startsWith(".") && !rest.endsWith(".tmp") ? base + rest : null;
    }

    /** The file's identity across a rename (its inode where the file system has one). */
    private static Object key(Path f) throws IOException {
        Object key = Files.readAttributes(f, BasicFileAttributes.class).fileKey();
        return key != null ? key : f;
    }
}
