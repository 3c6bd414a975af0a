package io.rpctrace.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming scan: needle search and line selection across buffer refills. */
class LogScannerTest {

    @Test
    void needleFindsWhatStringIndexOfFinds() {
        Random rnd = new Random(42);
        for (int round = 0; round < 2000; round++) {
            byte[] text = new byte[rnd.nextInt(300)];
            for (int i = 0; i < text.length; i++) {
                text[i] = (byte) "ab\"c\n".charAt(rnd.nextInt(5));
            }
            byte[] pat = new byte[1 + rnd.nextInt(4)];
            for (int i = 0; i < pat.length; i++) {
                pat[i] = (byte) "ab\"c".charAt(rnd.nextInt(4));
            }
            String t = new String(text, StandardCharsets.ISO_8859_1);
            String p = new String(pat, StandardCharsets.ISO_8859_1);
            int from = text.length == 0 ? 0 : rnd.nextInt(text.length);
            int expected = t.indexOf(p, from);
            assertEquals(expected, new Needle(pat).indexOf(text, from, text.length), t + " / " + p);
        }
    }

    /**
     * The sampled search on a buffer against {@code String.indexOf} on text from a small
     * alphabet, so that near-misses, overlaps and periodic patterns (where a gram occurs at
     * several places of the pattern) are common; short patterns take the Horspool path.
     */
    @Test
    void bufferSearchFindsWhatStringIndexOfFinds() {
        Random rnd = new Random(43);
        for (int round = 0; round < 20000; round++) {
            String alphabet = round % 3 == 0 ? "ab" : "ab\"c";
            byte[] pat = new byte[1 + rnd.nextInt(40)];
            for (int i = 0; i < pat.length; i++) {
                pat[i] = (byte) alphabet.charAt(rnd.nextInt(alphabet.length()));
            }
            byte[] text = new byte[rnd.nextInt(400)];
            for (int i = 0; i < text.length; i++) {
                text[i] = (byte) alphabet.charAt(rnd.nextInt(alphabet.length()));
            }
            if (text.length > pat.length && rnd.nextBoolean()) { // plant it, sometimes at the very end
                int at = rnd.nextBoolean() ? text.length - pat.length : rnd.nextInt(text.length - pat.length);
                System.arraycopy(pat, 0, text, at, pat.length);
            }
            int from = text.length == 0 ? 0 : rnd.nextInt(text.length);
            int to = from + rnd.nextInt(text.length - from + 1);
            String t = new String(text, 0, to, StandardCharsets.ISO_8859_1);
            int expected = t.indexOf(new String(pat, StandardCharsets.ISO_8859_1), from);
            // a direct buffer too: the search reads through ByteBuffer only
            ByteBuffer direct = ByteBuffer.allocateDirect(text.length).order(ByteOrder.LITTLE_ENDIAN);
            direct.put(text).clear();
            Needle needle = new Needle(pat);
            assertEquals(expected, needle.indexOf(ByteBuffer.wrap(text).order(ByteOrder.LITTLE_ENDIAN), from, to),
                    t + " / " + new String(pat, StandardCharsets.ISO_8859_1) + " from " + from);
            assertEquals(expected, needle.indexOf(direct, from, to));
        }
    }

    @Test
    void aQuotedTraceIdIsFoundAtEveryOffsetOfTheSamplingStride() {
        String id = "5ca1ab1e0ddba11c0ffee0123456789a";
        Needle needle = Needle.quoted(id);
        String line = "{\"x_name\":\"log.info\",\"x_trace_id\":\"" + id + "\",\"x_rpc_id\":\"0.1\"}";
        for (int pad = 0; pad < 64; pad++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < pad; i++) {
                sb.append(i % 2 == 0 ? '0' : '"'); // hex digits and quotes, like the ids around it
            }
            byte[] b = (sb + line).getBytes(StandardCharsets.UTF_8);
            assertEquals(pad + line.indexOf('"' + id), needle.indexOf(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN), 0, b.length));
            // one byte short of the whole pattern: not found
            int end = pad + line.indexOf('"' + id) + id.length() + 1;
            assertEquals(-1, needle.indexOf(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN), 0, end));
        }
    }

    @Test
    void selectsEveryMatchingLineWhateverTheBufferSizeAndReadSizes() throws IOException {
        Random rnd = new Random(7);
        StringBuilder log = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            boolean ours = rnd.nextInt(10) == 0;
            String id = ours ? "abc" : (rnd.nextBoolean() ? "abcd" : "xabc");
            StringBuilder pad = new StringBuilder();
            for (int k = rnd.nextInt(200); k > 0; k--) {
                pad.append((char) ('a' + rnd.nextInt(26)));
            }
            String line = "{\"x_name\":\"n" + i + "\",\"x_trace_id\":\"" + id + "\",\"p\":\"" + pad + "\"}";
            log.append(line).append(i % 7 == 0 ? "\r\n" : "\n");
            if (ours) {
                expected.add(line);
            }
        }
        byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);
        for (int bufSize : new int[] {16, 64, 300, 4096, 1 << 20}) {
            for (int readSize : new int[] {1, 7, 1000, Integer.MAX_VALUE}) {
                List<String> got = new ArrayList<>();
                ScanStats stats = new ScanStats();
                new LogScanner(Needle.quoted("abc"), collect(got), stats, bufSize, 1 << 20)
                        .scan(trickle(bytes, readSize), "t");
                assertEquals(expected, got, "buffer " + bufSize + ", reads of " + readSize);
                assertEquals(bytes.length, stats.bytes.get());
            }
        }
    }

    @Test
    void everyLineModeSeesEachLineOnceAndTheUnterminatedLast() throws IOException {
        byte[] bytes = "one\n\ntwo\r\nthree-is-long\nlast".getBytes(StandardCharsets.UTF_8);
        for (int bufSize : new int[] {4, 8, 64}) {
            List<String> got = new ArrayList<>();
            new LogScanner(null, collect(got), new ScanStats(), bufSize, 1 << 20).scan(trickle(bytes, 3), "t");
            assertEquals(java.util.Arrays.asList("one", "two", "three-is-long", "last"), got);
        }
    }

    @Test
    void everyLineModeMatchesASplitOnRandomText() throws IOException {
        Random rnd = new Random(5);
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = rnd.nextInt(3000); i > 0; i--) {
                int c = rnd.nextInt(40);
                sb.append(c == 0 ? '\n' : c == 1 ? '\u00e9' : c == 2 ? (char) 0x8a : (char) ('a' + c % 26));
            }
            List<String> expected = new ArrayList<>();
            for (String line : sb.toString().split("\n")) {
                if (!line.isEmpty()) {
                    expected.add(line);
                }
            }
            List<String> got = new ArrayList<>();
            new LogScanner(null, collect(got), new ScanStats(), 16 + rnd.nextInt(300), 1 << 20)
                    .scan(trickle(sb.toString().getBytes(StandardCharsets.UTF_8), 1 + rnd.nextInt(500)), "t");
            assertEquals(expected, got, "round " + round);
        }
    }

    @Test
    void aLineLongerThanTheLargestBufferIsSkippedAndCounted() throws IOException {
        StringBuilder log = new StringBuilder("{\"x_trace_id\":\"abc\",\"a\":1}\n{\"x_trace_id\":\"abc\",\"big\":\"");
        for (int i = 0; i < 5000; i++) {
            log.append("0123456789");
        }
        log.append("\"}\n{\"x_trace_id\":\"abc\",\"b\":2}\n");
        List<String> got = new ArrayList<>();
        ScanStats stats = new ScanStats();
        new LogScanner(Needle.quoted("abc"), collect(got), stats, 64, 4096)
                .scan(trickle(log.toString().getBytes(StandardCharsets.UTF_8), 100), "t");
        assertEquals(java.util.Arrays.asList("{\"x_trace_id\":\"abc\",\"a\":1}", "{\"x_trace_id\":\"abc\",\"b\":2}"), got);
        assertEquals(1, stats.oversized.get());
    }

    private static LineSink collect(List<String> into) {
        return (buf, from, to, source) -> into.add(new String(buf, from, to - from, StandardCharsets.UTF_8));
    }

    /** A stream that returns at most {@code max} bytes per read, like a pipe. */
    private static InputStream trickle(byte[] data, int max) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, max));
            }
        };
    }
}
