package io.rpctrace.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cutting a plain file into ranges of whole lines, so that several threads share one file. */
class FileRangeTest {
    private static final String ID = "5ca1ab1e0ddba11c0ffee0123456789a";

    @TempDir
    Path dir;

    /** Lines of 0-300 bytes, a few of 5 000, CRLF now and then; the last one with or without a newline. */
    private static byte[] randomLines(Random rnd, boolean newlineAtEnd) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0, n = 50 + rnd.nextInt(200); i < n; i++) {
            int len = rnd.nextInt(40) == 0 ? 5000 : rnd.nextInt(300);
            for (int k = 0; k < len; k++) {
                sb.append((char) ('a' + rnd.nextInt(26)));
            }
            sb.append(i % 9 == 0 ? "\r\n" : "\n");
        }
        sb.append("last");
        if (newlineAtEnd) {
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rangesDeliverEveryByteOnceAsWholeLines() throws IOException {
        Random rnd = new Random(3);
        for (int round = 0; round < 4; round++) {
            byte[] content = randomLines(rnd, round % 2 == 0);
            Path file = dir.resolve("f" + round + ".trace.log");
            Files.write(file, content);
            for (long range : new long[] {1, 2, 7, 64, 333, 4096, 5001, content.length - 1, content.length}) {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (long start = 0; start < content.length; start += range) {
                    long end = start + range >= content.length ? FileRange.TO_EOF : start + range;
                    byte[] got = readAll(FileRange.open(file.toString(), start, end), 1 + rnd.nextInt(600));
                    int at = all.size();
                    if (got.length > 0) {
                        assertTrue(at == 0 || content[at - 1] == '\n', "range " + range + " starts a line");
                        assertTrue(at + got.length == content.length || got[got.length - 1] == '\n',
                                "range " + range + " ends after a newline");
                        // the line it starts with begins in [start, end)
                        assertTrue(at >= start && at < Math.min(end, content.length), "range " + range + " owns its first line");
                    }
                    all.write(got, 0, got.length);
                }
                assertTrue(Arrays.equals(content, all.toByteArray()), "round " + round + ", ranges of " + range);
            }
        }
    }

    @Test
    void aRangeInsideOneLongLineIsEmptyAndTheLineGoesToTheRangeWhereItStarts() throws IOException {
        StringBuilder sb = new StringBuilder("short\n");
        for (int i = 0; i < 1000; i++) {
            sb.append('x');
        }
        sb.append("\nend\n");
        Path file = dir.resolve("long.trace.log");
        Files.write(file, sb.toString().getBytes(StandardCharsets.UTF_8));
        assertEquals("short\n", new String(readAll(FileRange.open(file.toString(), 0, 4), 100), StandardCharsets.UTF_8));
        // [4, 100) owns the long line (it starts at 6) and reads it to its newline at 1006
        assertEquals(1001, readAll(FileRange.open(file.toString(), 4, 100), 100).length);
        assertEquals(0, readAll(FileRange.open(file.toString(), 100, 200), 100).length);
        assertEquals("end\n", new String(readAll(FileRange.open(file.toString(), 900, FileRange.TO_EOF), 100),
                StandardCharsets.UTF_8));
    }

    /**
     * The scan of a file cut into small ranges by several threads finds exactly the lines one
     * stream finds: records crossing every range boundary, CRLF lines, a mention of the id in
     * another trace's field (parsed, then rejected by the collector), and the trace's record
     * at the file's last byte without a newline.
     */
    @Test
    void scanningInRangesFindsWhatOneStreamFinds() throws IOException {
        Random rnd = new Random(9);
        StringBuilder sb = new StringBuilder();
        List<String> ours = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String id = rnd.nextInt(20) == 0 ? ID : String.format("%016x%016x", rnd.nextLong(), rnd.nextLong());
            String line = Rec.of("mysql.request", id, "0." + (i + 1)).version("java-a-1.0").at(1763800000000L + i, 0.001)
                    .action("select " + i).code("0").line();
            sb.append(line).append(i % 13 == 0 ? "\r\n" : "\n");
            if (id.equals(ID)) {
                ours.add(line);
            }
        }
        String mention = Rec.of("log.info", "0123456789abcdef0123456789abcdef", "0.1").version("java-a-1.0")
                .at(1763800009998L, -1).put("x_extra", Collections.singletonMap("caused_by", ID)).line();
        sb.append(mention).append('\n');
        ours.add(mention);
        String last = Rec.of("log.info", ID, "0.9999").version("java-a-1.0").at(1763800009999L, -1).line();
        sb.append(last); // no newline
        ours.add(last);
        byte[] content = sb.toString().getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("a.trace.log");
        Files.write(file, content);
        Collections.sort(ours);

        for (long range : new long[] {37, 100, 999, 64 << 10, content.length - 1, LogSources.RANGE_BYTES}) {
            for (int threads : new int[] {1, 3}) {
                List<String> got = Collections.synchronizedList(new ArrayList<>());
                ScanStats stats = new ScanStats();
                TraceCollector collector = new TraceCollector(ID, stats);
                LogSources.scan(Collections.singletonList(file.toString()), null, Needle.quoted(ID),
                        () -> (buf, from, to, source) -> {
                            got.add(new String(buf, from, to - from, StandardCharsets.UTF_8));
                            collector.line(buf, from, to, source);
                        }, stats, new PrintStream(new ByteArrayOutputStream()), threads, range);
                Collections.sort(got);
                assertEquals(ours, got, "ranges of " + range + ", " + threads + " threads");
                assertEquals(ours.size() - 1, collector.records().size(), "all but the mention");
                assertEquals(1, stats.files.get());
                assertEquals(content.length, stats.bytes.get());
                assertEquals(0, stats.duplicates.get() + stats.malformed.get() + stats.unreadable.get());
            }
        }
    }

    /**
     * Lines too long for a range's mapping: one of 3 MiB holding the id (past the mapping's
     * slack, so its range is read as a stream) and one of 17 MiB (longer than the scanner's
     * largest buffer: skipped and counted once, as a stream of the whole file counts it).
     * The mapped and streamed ranges together give what one stream gives.
     */
    @Test
    void rangesWithLinesLongerThanTheMappingGiveWhatOneStreamGives() throws IOException {
        assertTrue(MappedRange.available(), "Java 9+: ranges are searched in mappings");
        StringBuilder sb = new StringBuilder();
        sb.append(Rec.of("log.info", ID, "0.1").at(1763800000000L, -1).line()).append('\n');
        sb.append(Rec.of("log.info", ID, "0.2").at(1763800000001L, -1).msg(repeat('a', 3 << 20)).line()).append('\n');
        sb.append(Rec.of("log.info", "0123456789abcdef0123456789abcdef", "0.3").msg(repeat('b', 17 << 20)).line()).append('\n');
        sb.append(Rec.of("log.info", ID, "0.4").at(1763800000003L, -1).line()).append('\n');
        sb.append(Rec.of("log.info", ID, "0.5").at(1763800000004L, -1).line()); // the last byte, no newline
        byte[] content = sb.toString().getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("long.trace.log");
        Files.write(file, content);

        List<String> expected = null;
        String expectedStats = null;
        for (long range : new long[] {Long.MAX_VALUE, 1 << 20, 5 << 20, 333_333}) {
            List<String> got = Collections.synchronizedList(new ArrayList<>());
            ScanStats stats = new ScanStats();
            LogSources.scan(Collections.singletonList(file.toString()), null, Needle.quoted(ID),
                    () -> (buf, from, to, source) -> got.add(new String(buf, from, to - from, StandardCharsets.UTF_8)),
                    stats, new PrintStream(new ByteArrayOutputStream()), 2, range);
            Collections.sort(got);
            String counts = stats.files + " files, " + stats.bytes + " bytes, " + stats.candidates + " candidates, "
                    + stats.oversized + " oversized";
            if (expected == null) { // the whole file as one stream
                expected = got;
                expectedStats = counts;
                assertEquals(4, got.size(), "0.1, 0.2 (3 MiB), 0.4, 0.5");
                assertEquals("1 files, " + content.length + " bytes, 4 candidates, 1 oversized", counts);
            } else {
                assertEquals(expected, got, "ranges of " + range);
                assertEquals(expectedStats, counts, "ranges of " + range);
            }
        }
    }

    private static String repeat(char c, int n) {
        char[] a = new char[n];
        Arrays.fill(a, c);
        return new String(a);
    }

    @Test
    void onlyLargePlainFilesAreCutAndLargerPiecesComeFirst() throws IOException {
        Path plain = dir.resolve("big.trace.log");
        Files.write(plain, new byte[2500]);
        Path small = dir.resolve("small.trace.log");
        Files.write(small, new byte[300]);
        Path gz = dir.resolve("big.trace.log.1.gz");
        StringBuilder random = new StringBuilder();
        Random rnd = new Random(1);
        for (int i = 0; i < 3000; i++) {
            random.append((char) ('a' + rnd.nextInt(26)));
        }
        Viewer.writeGz(gz, Collections.singletonList(random.toString())); // about 1.9 KB compressed: weight 15 KB
        List<LogSources.Piece> pieces = LogSources.plan(Arrays.asList(small.toString(), plain.toString(), gz.toString()), 1000);
        List<String> shape = new ArrayList<>();
        for (LogSources.Piece p : pieces) {
            shape.add(dir.relativize(java.nio.file.Paths.get(p.source)) + "@" + p.start + "-"
                    + (p.end == FileRange.TO_EOF ? "eof" : String.valueOf(p.end)));
        }
        // gzip is read whole (weight 8x its size), the plain file in three ranges, the last to the end
        assertEquals(Arrays.asList("big.trace.log.1.gz@0-eof", "big.trace.log@0-1000", "big.trace.log@1000-2000",
                "big.trace.log@2000-eof", "small.trace.log@0-eof"), shape);
    }

    private static byte[] readAll(FileRange in, int readSize) throws IOException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] b = new byte[readSize];
            for (int n; (n = in.read(b, 0, b.length)) >= 0; ) {
                out.write(b, 0, n);
            }
            return out.toByteArray();
        } finally {
            in.close();
        }
    }
}
