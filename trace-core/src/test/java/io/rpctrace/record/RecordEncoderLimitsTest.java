package io.rpctrace.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/record.md#escaping and #truncation at their edges: every UTF-16 char, lines at and
 * around {@code record.max.bytes}, every field long at once, and the line buffer after a long
 * line. Each line is read back by a strict JSON parser (duplicate keys rejected, as
 * Elasticsearch does).
 */
class RecordEncoderLimitsTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String MARK = "...[truncated]";
    private static final JsonFactory STRICT = new JsonFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static Record mysqlRequest() {
        return new Record().name(RecordNames.MYSQL_REQUEST).traceId(TRACE).rpcId("0", 2)
                .timestampMs(1763800000123L).durationNanos(731_000).module("order_dao_find")
                .threadId(17).host("127.0.0.1:3306").db("shop").code("0")
                .action("select * from orders where id = ?");
    }

    private static String repeat(char c, int n) {
        char[] a = new char[n];
        Arrays.fill(a, c);
        return new String(a);
    }

    /** Encodes {@code r}, checks the line is one valid UTF-8 JSON object of at most {@code max} bytes, returns it parsed. */
    private static Map<String, Object> encode(RecordEncoder e, Record r, int max) {
        int n = e.encode(r);
        assertTrue(n <= max, "line of " + n + " bytes, max " + max);
        byte[] b = Arrays.copyOf(e.buffer(), n);
        assertTrue(n > 0 && b[n - 1] == '\n', "line ends with \\n");
        for (int i = 0; i < n - 1; i++) {
            assertTrue((b[i] & 0xFF) >= 0x20, "raw control byte at " + i);
        }
        String line;
        try {
            line = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException ex) {
            throw new AssertionError("line is not valid UTF-8", ex);
        }
        assertTrue(line.indexOf('\u2028') < 0 && line.indexOf('\u2029') < 0 && line.indexOf('\u0085') < 0);
        try (JsonParser p = STRICT.createParser(line)) {
            assertEquals(JsonToken.START_OBJECT, p.nextToken());
            Map<String, Object> m = object(p);
            assertEquals(null, p.nextToken(), "trailing content");
            return m;
        } catch (IOException ex) {
            throw new AssertionError("invalid JSON: " + line.substring(0, Math.min(300, line.length())), ex);
        }
    }

    private static Map<String, Object> object(JsonParser p) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            JsonToken t = p.nextToken();
            m.put(k, t == JsonToken.START_OBJECT ? object(p)
                    : t == JsonToken.VALUE_STRING ? p.getText()
                    : t == JsonToken.VALUE_NUMBER_INT ? (Object) p.getLongValue() : (Object) p.getDoubleValue());
        }
        return m;
    }

    private static String allChars() {
        char[] all = new char[65536];
        for (int c = 0; c < all.length; c++) {
            all[c] = (char) c;
        }
        return new String(all);
    }

    @Test
    void everyUtf16CharRoundTripsAsValueAndAsTruncatedValue() {
        String all = allChars();
        RecordEncoder big = new RecordEncoder(null, null, "1", 1 << 20);
        String key = all.substring(30_000); // a parser reads names of at most 50 000 chars
        Map<String, Object> m = encode(big, mysqlRequest().msg(all).extra(key, all), 1 << 20);
        assertEquals(all, m.get("x_msg"));
        assertEquals(all, ((Map<?, ?>) m.get("x_extra")).get(key));
        // the same through string(char[]): cut by truncation at every length class
        RecordEncoder small = new RecordEncoder(null, null, "1", 64 * 1024);
        String msg = (String) encode(small, mysqlRequest().msg(all).param(all), 64 * 1024).get("x_msg");
        assertTrue(msg.endsWith(MARK), msg);
        String kept = msg.substring(0, msg.length() - MARK.length());
        assertEquals(all.substring(0, kept.length()), kept);
        // each char alone, written fresh and then from the cache
        for (int c = 0; c < 65536; c += 7) {
            String v = "a" + (char) c + "b";
            assertEquals(v, encode(small, mysqlRequest().module(v), 64 * 1024).get("x_module"));
            assertEquals(v, encode(small, mysqlRequest().module(v), 64 * 1024).get("x_module"));
        }
    }

    @Test
    void manyMediumFieldsTogetherAreCutToOneLengthBelowMaxBytes() {
        RecordEncoder e = new RecordEncoder(null, null, "1", 64 * 1024);
        String v = repeat('m', 9_000); // each below max/4, together above max
        Record r = mysqlRequest().msg(v).param(v).response(v).backtrace(v).userAgent(v).uid(v).source(v).file(v);
        Map<String, Object> m = encode(e, r, 64 * 1024);
        int cut = ((String) m.get("x_msg")).length();
        for (String k : new String[] {"x_msg", "x_param", "x_response", "x_backtrace", "x_user_agent", "x_uid",
            "x_source", "x_file"}) {
            String s = (String) m.get(k);
            assertTrue(s.endsWith(MARK), k);
            assertEquals(cut, s.length(), k + " is cut to the common length");
        }
        assertEquals("select * from orders where id = ?", m.get("x_action"));
        assertEquals(1, e.truncatedCount());
    }

    @Test
    void aLineExactlyAtMaxBytesIsKeptAndOneByteMoreIsCut() {
        Record r = mysqlRequest().msg(repeat('\u0001', 400) + "é\u2028" + repeat('z', 3000));
        int len = new RecordEncoder(null, null, "1", 1 << 20).encode(r);
        assertTrue(len > 2048 && len < 16 * 1024, "line of " + len);
        RecordEncoder exact = new RecordEncoder(null, null, "1", len);
        assertEquals(len, exact.encode(r));
        assertEquals(0, exact.truncatedCount());
        encode(exact, r, len);
        RecordEncoder under = new RecordEncoder(null, null, "1", len - 1);
        Map<String, Object> m = encode(under, r, len - 1);
        assertEquals(1, under.truncatedCount());
        assertTrue(((String) m.get("x_msg")).endsWith(MARK));
    }

    @Test
    void everyFieldLongAndHostileAtOnceStillFitsTheDefaultMaximum() {
        String hostile = repeat('\u0001', 5_000) + "\"\\\n\uD800\u2028" + repeat('字', 100_000);
        Record r = new Record().name(hostile).traceId(hostile).rpcId(hostile, Integer.MAX_VALUE).department(hostile)
                .version(hostile).timestampMs(Long.MAX_VALUE).durationNanos(Long.MAX_VALUE).module(hostile)
                .source(hostile).uid(hostile).threadId(Long.MAX_VALUE).serverIp(hostile).clientIp(hostile)
                .userAgent(hostile).host(hostile).instanceName(hostile).db(hostile).code(hostile).msg(hostile)
                .backtrace(hostile).action(hostile).param(hostile).file(hostile).line(Integer.MAX_VALUE)
                .response(hostile).responseLen(Long.MAX_VALUE).dnsNanos(Long.MAX_VALUE);
        for (int i = 0; i < Record.MAX_EXTRAS; i++) {
            if (i % 3 == 1) {
                r.extra(i + hostile, Long.MIN_VALUE);
            } else if (i % 3 == 2) {
                r.extra(i + hostile, -Double.MAX_VALUE);
            } else {
                r.extra(i + hostile, hostile);
            }
        }
        RecordEncoder e = new RecordEncoder("d", "v", "x\"\u2028", 64 * 1024);
        Map<String, Object> m = encode(e, r, 64 * 1024);
        assertEquals(String.valueOf(Long.MAX_VALUE), String.valueOf(m.get("x_timestamp_ms")));
        assertTrue(((String) m.get("x_name")).endsWith(MARK));
        assertTrue(((String) m.get("x_pid")).startsWith("x\"\u2028-"));
        // the same record again, and with a 1 MiB maximum
        encode(e, r, 64 * 1024);
        encode(new RecordEncoder(null, null, "1", 1 << 20), r, 1 << 20);
    }

    @Test
    void everyFieldOfControlCharsStillFitsTheSmallestMaximum() {
        // 32 escaped control chars are 192 bytes: two dozen such fields at the usual floor of
        // the cut do not fit in 1 KiB, so the cut goes below it rather than past the limit.
        String controls = repeat('\u0001', 200);
        Record r = new Record().name(controls).traceId(controls).rpcId(controls, Integer.MAX_VALUE).department(controls)
                .version(controls).module(controls).source(controls).uid(controls).serverIp(controls)
                .clientIp(controls).userAgent(controls).host(controls).instanceName(controls).db(controls)
                .code(controls).msg(controls).backtrace(controls).action(controls).param(controls).file(controls)
                .response(controls).timestampMs(Long.MAX_VALUE).durationNanos(Long.MAX_VALUE);
        for (int i = 0; i < Record.MAX_EXTRAS; i++) {
            r.extra(i + controls, controls);
        }
        RecordEncoder e = new RecordEncoder(controls, controls, controls, 1024);
        Map<String, Object> m = encode(e, r, 1024);
        assertTrue(((String) m.get("x_name")).endsWith(MARK), "cut, with its marker");
        assertTrue(((String) m.get("x_name")).startsWith("\u0001"), "something of the value is kept");
        assertEquals(String.valueOf(Long.MAX_VALUE), String.valueOf(m.get("x_timestamp_ms")));
        // the next, ordinary record is written whole
        Map<String, Object> next = encode(e, mysqlRequest(), 1024);
        assertEquals("select * from orders where id = ?", next.get("x_action"));
    }

    @Test
    void aLongStackTraceIsRenderedOnceHoweverManyCutsTheLineTakes() {
        int[] renders = {0};
        RuntimeException deep = new RuntimeException("boom") {
            @Override
            public void printStackTrace(java.io.PrintWriter w) {
                renders[0]++;
                super.printStackTrace(w);
            }
        };
        StackTraceElement[] frames = new StackTraceElement[2_000];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = new StackTraceElement("com.shop.Layer" + i, "call", "Layer" + i + ".java", i);
        }
        deep.setStackTrace(frames);
        RecordEncoder e = new RecordEncoder(null, null, "1", 4096);
        Map<String, Object> m = encode(e, mysqlRequest().error(deep), 4096);
        assertTrue(((String) m.get("x_backtrace")).endsWith(MARK));
        assertEquals(1, renders[0], "rendered once for all the attempts");
        encode(e, mysqlRequest().error(deep), 4096);
        assertEquals(2, renders[0], "and again for the next record");
    }

    @Test
    void aValueLongerThanTheFirstBufferIsWholeAndTheGrownBufferIsReused() {
        RecordEncoder e = new RecordEncoder(null, null, "1", 256 * 1024);
        String big = repeat('\u0007', 10_000) + repeat('é', 20_000); // 60 000 + 40 000 bytes escaped
        Record huge = mysqlRequest().msg(big);
        assertEquals(big, encode(e, huge, 256 * 1024).get("x_msg"));
        byte[] grown = e.buffer();
        assertTrue(grown.length > 100_000);
        Record typical = mysqlRequest().responseLen(1);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            e.encode(typical);
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 1_000; i++) {
            e.encode(huge);
            e.encode(typical);
        }
        long perPair = (mx.getThreadAllocatedBytes(tid) - before) / 1_000;
        assertEquals(0, perPair, "bytes allocated per long + typical record once the buffer has grown");
        assertSame(grown, e.buffer());
        assertEquals("order_dao_find", encode(e, typical, 256 * 1024).get("x_module"));
        assertEquals(big, encode(e, huge, 256 * 1024).get("x_msg"));
    }

    @Test
    void anEscapeHeavyValueThatCannotFitDoesNotGrowTheBufferFarBeyondMaxBytes() {
        RecordEncoder e = new RecordEncoder(null, null, "1", 64 * 1024);
        // fewer chars than max bytes, so it passes the length check, but six times as many bytes escaped
        Map<String, Object> m = encode(e, mysqlRequest().msg(repeat('\u0001', 60_000)), 64 * 1024);
        assertTrue(((String) m.get("x_msg")).endsWith(MARK));
        assertTrue(e.buffer().length <= 2 * 64 * 1024, "buffer of " + e.buffer().length + " bytes");
    }

    @Test
    void aFreshStringWrittenAfterTheLineWentOverIsNotCachedWrongly() {
        RecordEncoder e = new RecordEncoder(null, null, "1", 64 * 1024);
        String late = new String("late \"value\" é");
        // x_msg cannot fit (sets over); x_param comes after it and is written, x_extra too
        Record r = mysqlRequest().msg(repeat('x', 100_000)).param(late).extra("k", late);
        Map<String, Object> m = encode(e, r, 64 * 1024);
        assertEquals(late, m.get("x_param"));
        Map<String, Object> again = encode(e, mysqlRequest().param(late).module(late), 64 * 1024);
        assertEquals(late, again.get("x_param"));
        assertEquals(late, again.get("x_module"));
    }

    @Test
    void longExtraKeysSharingAPrefixStayDistinctWhenCut() {
        RecordEncoder e = new RecordEncoder(null, null, "1", 1024);
        String prefix = repeat('k', 300); // longer than where the keys get cut
        Record r = mysqlRequest().msg(repeat('m', 5_000)).extra(prefix + "1", "a").extra(prefix + "2", "b");
        Map<String, Object> m = encode(e, r, 1024); // the strict parser rejects a duplicate key
        assertTrue(((String) m.get("x_msg")).endsWith(MARK));
        Map<?, ?> extra = (Map<?, ?>) m.get("x_extra");
        assertEquals(1, extra.size(), "the second entry, whose cut key repeats the first, is left out");
        assertEquals("a", extra.values().iterator().next());
    }

    @Test
    void aHugeRpcIdPrefixIsNotCopiedWhole() {
        RecordEncoder e = new RecordEncoder(null, null, "1", 64 * 1024);
        e.encode(mysqlRequest()); // warm up
        String prefix = repeat('7', 5_000_000);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        int n = e.encode(mysqlRequest().rpcId(prefix, 3));
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertTrue(n <= 64 * 1024);
        assertTrue(allocated < 1_000_000, allocated + " bytes allocated for one record");
        assertTrue(((String) encode(e, mysqlRequest().rpcId(prefix, 3), 64 * 1024).get("x_rpc_id")).endsWith(MARK));
    }

    @Test
    void extremeNumbersAreValidJson() {
        RecordEncoder e = new RecordEncoder(null, null, "18446744073709551615", 64 * 1024);
        Record r = mysqlRequest().timestampMs(999).durationNanos(0).threadId(Long.MAX_VALUE).line(0).responseLen(0)
                .dnsNanos(999).extra("min", Long.MIN_VALUE).extra("max", Long.MAX_VALUE).extra("nan", Double.NaN)
                .extra("inf", Double.NEGATIVE_INFINITY).extra("tiny", Double.MIN_VALUE).extra("huge", Double.MAX_VALUE)
                .extra("negzero", -0.0d).extra("e", 1e21);
        Map<String, Object> m = encode(e, r, 64 * 1024);
        assertEquals(0L, m.get("x_timestamp"));
        assertEquals(999L, m.get("x_timestamp_ms"));
        assertEquals(0.0d, m.get("x_duration"));
        assertEquals(0.0d, m.get("x_dns_duration"));
        assertEquals("18446744073709551615-" + Long.MAX_VALUE, m.get("x_pid"));
        assertEquals("0", m.get("x_line"));
        Map<?, ?> x = (Map<?, ?>) m.get("x_extra");
        assertEquals(Long.MIN_VALUE, x.get("min"));
        assertEquals(Long.MAX_VALUE, x.get("max"));
        assertEquals(0.0d, x.get("nan"));
        assertEquals(0.0d, x.get("inf"));
        assertEquals(Double.MIN_VALUE, x.get("tiny"));
        assertEquals(Double.MAX_VALUE, x.get("huge"));
        assertEquals(-0.0d, x.get("negzero"));
        assertEquals(1e21, x.get("e"));
    }
}
