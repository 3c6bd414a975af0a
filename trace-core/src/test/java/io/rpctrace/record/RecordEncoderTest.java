package io.rpctrace.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/record.md#fields: one JSON object per line, fixed key order and types, empties omitted,
 * hostile strings escaped.
 */
class RecordEncoderTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    /**
     * The key order of docs/record.md#fields, typed from the spec rather than taken from
     * {@link Fields}.
     */
    private static final List<String> DOCUMENTED_ORDER = Arrays.asList(
            "x_name", "x_trace_id", "x_rpc_id", "x_department", "x_version", "x_timestamp", "x_timestamp_ms",
            "x_duration", "x_module", "x_source", "x_uid", "x_pid", "x_server_ip", "x_client_ip", "x_user_agent",
            "x_host", "x_instance_name", "x_db", "x_code", "x_msg", "x_backtrace", "x_action", "x_param",
            "x_file", "x_line", "x_response", "x_response_len", "x_dns_duration", "x_extra");

    private final RecordEncoder encoder = new RecordEncoder("shop", "java-order-1.4", "4242", 64 * 1024);

    private String line(Record r) {
        return line(encoder, r);
    }

    private static String line(RecordEncoder e, Record r) {
        int n = e.encode(r);
        byte[] b = Arrays.copyOf(e.buffer(), n);
        assertSingleLine(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Exactly one '\n', at the end; no CR; no raw control byte; valid UTF-8. */
    private static void assertSingleLine(byte[] b) {
        assertTrue(b.length > 0 && b[b.length - 1] == '\n', "line ends with \\n");
        for (int i = 0; i < b.length - 1; i++) {
            assertTrue((b[i] & 0xFF) >= 0x20, "raw control byte 0x" + Integer.toHexString(b[i] & 0xFF) + " at " + i);
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
        } catch (CharacterCodingException e) {
            throw new AssertionError("line is not valid UTF-8", e);
        }
    }

    private static Record mysqlRequest() {
        return new Record().name(RecordNames.MYSQL_REQUEST).traceId(TRACE).rpcId("0", 2)
                .timestampMs(1763800000123L).durationNanos(731_000).module("order_dao_find")
                .threadId(17).host("127.0.0.1:3306").db("shop").code("0")
                .action("select * from orders where id = ?");
    }

    @Test
    void theSpecSampleIsEncodedByteForByte() {
        RecordEncoder e = new RecordEncoder(null, "java-order-1.4", "4242", 64 * 1024);
        Record r = mysqlRequest().threadId(-1);
        assertEquals("{\"x_name\":\"mysql.request\",\"x_trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\","
                + "\"x_rpc_id\":\"0.2\",\"x_version\":\"java-order-1.4\",\"x_timestamp\":1763800000,"
                + "\"x_timestamp_ms\":1763800000123,\"x_duration\":0.000731,\"x_module\":\"order_dao_find\","
                + "\"x_host\":\"127.0.0.1:3306\",\"x_db\":\"shop\",\"x_code\":\"0\","
                + "\"x_action\":\"select * from orders where id = ?\"}\n", line(e, r));
    }

    /**
     * A trace id given as the bytes a byte carrier held (a served gRPC call) is written exactly
     * as the string would be, escaped when it would need it, and read back as that string.
     */
    @Test
    void aTraceIdGivenAsBytesIsWrittenAsItsString() {
        for (String id : new String[] {TRACE, "order-77", "a\"b\\c", "tab\there", ""}) {
            Record asString = mysqlRequest().traceId(id);
            Record asBytes = mysqlRequest().traceIdAscii(id.getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(line(asString), line(asBytes), id);
            assertEquals(id, asBytes.traceId());
            assertEquals(line(asString), line(new Record().copyFrom(asBytes)), "copied: " + id);
        }
        assertEquals(TRACE, mysqlRequest().traceIdAscii(new byte[] {'x'}).traceId(TRACE).traceId(), "the last one set wins");
    }

    @Test
    void everyFieldIsWrittenInSpecOrderWithItsType() {
        Record r = new Record().name("http.post").traceId(TRACE).rpcId("0.3", 4).department("pay")
                .version("java-pay-2.0").timestampMs(1763800000123L).durationNanos(1_500_000_000L)
                .module("pay_api_charge").source("https://shop.example/cart").uid("u-77").threadId(9)
                .serverIp("10.0.0.5:8080").clientIp("203.0.113.7").userAgent("curl/8.5")
                .host("10.0.0.9:443").instanceName("payments").db("ledger").code("502").msg("bad gateway")
                .backtrace("java.io.IOException: reset\n\tat X.y(X.java:1)").action("/v1/charge")
                .param("{\"amount\":5}").file("PayApi.java").line(42).response("{\"ok\":false}")
                .responseLen(12).dnsNanos(2_000).extra("tenant", "acme").extra("retries", 2L)
                .extra("ratio", 0.25);
        Map<String, Object> m = CollectingWriter.parse(line(r));

        assertEquals(DOCUMENTED_ORDER, new ArrayList<>(m.keySet()), "key order of docs/record.md#fields");
        assertEquals(Arrays.asList(Fields.ORDER), DOCUMENTED_ORDER, "Fields.ORDER is the documented order");
        assertEquals("http.post", m.get("x_name"));
        assertEquals(TRACE, m.get("x_trace_id"));
        assertEquals("0.3.4", m.get("x_rpc_id"));
        assertEquals("pay", m.get("x_department"));
        assertEquals("java-pay-2.0", m.get("x_version"));
        assertEquals(1763800000L, m.get("x_timestamp"));
        assertEquals(1763800000123L, m.get("x_timestamp_ms"));
        assertEquals(1.5, m.get("x_duration"));
        assertEquals("pay_api_charge", m.get("x_module"));
        assertEquals("https://shop.example/cart", m.get("x_source"));
        assertEquals("u-77", m.get("x_uid"));
        assertEquals("4242-9", m.get("x_pid"));
        assertEquals("10.0.0.5:8080", m.get("x_server_ip"));
        assertEquals("203.0.113.7", m.get("x_client_ip"));
        assertEquals("curl/8.5", m.get("x_user_agent"));
        assertEquals("10.0.0.9:443", m.get("x_host"));
        assertEquals("payments", m.get("x_instance_name"));
        assertEquals("ledger", m.get("x_db"));
        assertEquals("502", m.get("x_code"));
        assertEquals("bad gateway", m.get("x_msg"));
        assertEquals("java.io.IOException: reset\n\tat X.y(X.java:1)", m.get("x_backtrace"));
        assertEquals("/v1/charge", m.get("x_action"));
        assertEquals("{\"amount\":5}", m.get("x_param"));
        assertEquals("PayApi.java", m.get("x_file"));
        assertEquals("42", m.get("x_line"), "x_line is a string");
        assertEquals("{\"ok\":false}", m.get("x_response"));
        assertEquals(12L, m.get("x_response_len"));
        assertEquals(0.000002, m.get("x_dns_duration"));
        @SuppressWarnings("unchecked")
        Map<String, Object> extra = (Map<String, Object>) m.get("x_extra");
        assertEquals(Arrays.asList("tenant", "retries", "ratio"), new ArrayList<>(extra.keySet()));
        assertEquals("acme", extra.get("tenant"));
        assertEquals(2L, extra.get("retries"), "integer extras stay integers");
        assertEquals(0.25, extra.get("ratio"), "float extras stay floats");
    }

    @Test
    void jsonTypesAreFixed() {
        Record r = mysqlRequest().durationNanos(0).responseLen(0).dnsNanos(0).line(0)
                .extra("whole", 3.0).extra("nan", Double.NaN).extra("inf", Double.POSITIVE_INFINITY)
                .extra("big", Long.MAX_VALUE);
        String l = line(r);
        Map<String, Object> m = CollectingWriter.parse(l);
        assertInstanceOf(Long.class, m.get("x_timestamp"));
        assertInstanceOf(Long.class, m.get("x_timestamp_ms"));
        assertInstanceOf(Double.class, m.get("x_duration"), "x_duration is a float even when zero");
        assertTrue(l.contains("\"x_duration\":0.000000,"), l);
        assertInstanceOf(Double.class, m.get("x_dns_duration"));
        assertInstanceOf(Long.class, m.get("x_response_len"));
        assertInstanceOf(String.class, m.get("x_line"));
        @SuppressWarnings("unchecked")
        Map<String, Object> extra = (Map<String, Object>) m.get("x_extra");
        assertInstanceOf(Double.class, extra.get("whole"), "3.0 stays a float");
        assertEquals(0.0, extra.get("nan"), "NaN is written as 0.0 so the field stays a float");
        assertEquals(0.0, extra.get("inf"));
        assertEquals(Long.MAX_VALUE, extra.get("big"));
    }

    @Test
    void timestampsAreWholeSecondsAndMilliseconds() {
        for (long ms : new long[] {0, 999, 1000, 1001, 1763800000123L, 1763800000999L, Long.MAX_VALUE}) {
            Map<String, Object> m = CollectingWriter.parse(line(mysqlRequest().timestampMs(ms)));
            assertEquals(ms / 1000, m.get("x_timestamp"), "x_timestamp of " + ms);
            assertEquals(ms, m.get("x_timestamp_ms"));
        }
    }

    @Test
    void durationsHaveMicrosecondPrecisionAndNoExponent() {
        assertEquals("0.000100", durationText(100_000));
        assertEquals("0.000731", durationText(731_999));
        assertEquals("1.500000", durationText(1_500_000_000L));
        assertEquals("86400.000001", durationText(86_400_000_001_000L));
    }

    private String durationText(long nanos) {
        String l = line(mysqlRequest().durationNanos(nanos));
        int at = l.indexOf("\"x_duration\":") + "\"x_duration\":".length();
        return l.substring(at, l.indexOf(',', at));
    }

    @Test
    void emptyAndAbsentFieldsAreOmitted() {
        RecordEncoder bare = new RecordEncoder(null, "", "1", 64 * 1024);
        Record r = new Record().name("log.info").traceId(TRACE).timestampMs(1763800000123L)
                .module("").msg("").action(null).host("").extra("k", (String) null);
        Map<String, Object> m = CollectingWriter.parse(line(bare, r));
        assertEquals(Arrays.asList("x_name", "x_trace_id", "x_timestamp", "x_timestamp_ms"),
                new ArrayList<>(m.keySet()));
    }

    @Test
    void configuredDepartmentAndVersionAreDefaultsARecordCanOverride() {
        Map<String, Object> m = CollectingWriter.parse(line(mysqlRequest()));
        assertEquals("shop", m.get("x_department"));
        assertEquals("java-order-1.4", m.get("x_version"));
        m = CollectingWriter.parse(line(mysqlRequest().department("other").version("v2")));
        assertEquals("other", m.get("x_department"));
        assertEquals("v2", m.get("x_version"));
    }

    @Test
    void aMissingTimestampIsNow() {
        long before = System.currentTimeMillis();
        Map<String, Object> m = CollectingWriter.parse(line(new Record().name("log.info").traceId(TRACE)));
        long ms = (Long) m.get("x_timestamp_ms");
        assertTrue(ms >= before && ms <= System.currentTimeMillis() + 1);
        assertEquals(ms / 1000, m.get("x_timestamp"));
    }

    @Test
    void resetClearsEveryField() {
        Record r = mysqlRequest().msg("x").extra("a", 1L).error(new RuntimeException());
        r.reset().name("log.info").traceId(TRACE).timestampMs(1000L);
        RecordEncoder bare = new RecordEncoder(null, null, "1", 64 * 1024);
        assertEquals("{\"x_name\":\"log.info\",\"x_trace_id\":\"" + TRACE
                + "\",\"x_timestamp\":1,\"x_timestamp_ms\":1000}\n", line(bare, r));
    }

    @Test
    void anErrorBecomesTheBacktrace() {
        Map<String, Object> m = CollectingWriter.parse(line(mysqlRequest()
                .error(new IllegalStateException("pool exhausted"))));
        String bt = (String) m.get("x_backtrace");
        assertTrue(bt.startsWith("java.lang.IllegalStateException: pool exhausted"), bt);
        assertTrue(bt.contains("\tat io.rpctrace.record.RecordEncoderTest"), bt);
    }

    static Stream<Arguments> hostileStrings() {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        controls.append('\u007f');
        return Stream.of(
                Arguments.of("double quote", "say \"hi\""),
                Arguments.of("backslash", "C:\\temp\\x \\u0041 \\"),
                Arguments.of("every control char", controls.toString()),
                Arguments.of("CR and LF", "line1\r\nline2\nline3\r"),
                Arguments.of("a lone LF", "\n"),
                Arguments.of("lone high surrogate", "a\uD800b"),
                Arguments.of("lone low surrogate", "a\uDC00b"),
                Arguments.of("high surrogate at the end", "abc\uD83D"),
                Arguments.of("swapped pair", "\uDE00\uD83D"),
                Arguments.of("valid surrogate pair", "ok \uD83D\uDE00 ok"),
                Arguments.of("U+2028 and U+2029", "a\u2028b\u2029c"),
                Arguments.of("NEL U+0085", "a\u0085b"),
                Arguments.of("BOM and RTL override", "\uFEFFabc\u202Edef"),
                Arguments.of("CJK", "订单查询 注文"),
                Arguments.of("html", "</script><script>alert(1)</script>"),
                Arguments.of("json injection", "\",\"x_name\":\"forged"),
                Arguments.of("NUL", "\u0000"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileStrings")
    void hostileStringsAreEscapedAndRoundTrip(String what, String hostile) {
        Record r = mysqlRequest().msg(hostile).action(hostile).module(hostile).rpcId(hostile)
                .extra(hostile, hostile);
        for (int pass = 0; pass < 2; pass++) { // the second pass hits the encoder's string cache
            String l = line(r);
            Map<String, Object> m = CollectingWriter.parse(l);
            assertEquals("mysql.request", m.get("x_name"), what);
            assertEquals(hostile, m.get("x_msg"), what);
            assertEquals(hostile, m.get("x_action"), what);
            assertEquals(hostile, m.get("x_module"), what);
            assertEquals(hostile, m.get("x_rpc_id"), what);
            @SuppressWarnings("unchecked")
            Map<String, Object> extra = (Map<String, Object>) m.get("x_extra");
            assertEquals(hostile, extra.get(hostile), what);
            assertFalse(l.contains("\u2028") || l.contains("\u2029") || l.contains("\u0085"),
                    "Unicode line separators are escaped: " + l);
        }
    }

    @Test
    void aValidSurrogatePairIsKept() {
        String l = line(mysqlRequest().msg("\uD83D\uDE00"));
        assertEquals("\uD83D\uDE00", CollectingWriter.parse(l).get("x_msg"));
        assertTrue(l.toLowerCase(java.util.Locale.ROOT).contains("\"x_msg\":\"\\ud83d\\ude00\""),
                "written as two escapes: " + l);
    }

    @Test
    void unicodeLineSeparatorsAreEscaped() {
        String l = line(mysqlRequest().msg("a\u2028b\u2029c\u0085d"));
        assertTrue(l.contains("\"x_msg\":\"a\\u2028b\\u2029c\\u0085d\""), l);
    }

    @Test
    void theStringCacheNeverMixesUpValues() {
        // Many distinct instances, several with equal contents, some colliding in the cache.
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            values.add(new String("value-" + (i % 700) + (i % 3 == 0 ? "\"q\"" : "")));
        }
        for (int pass = 0; pass < 3; pass++) {
            for (String v : values) {
                Map<String, Object> m = CollectingWriter.parse(line(mysqlRequest().module(v).action(v + "!")));
                assertEquals(v, m.get("x_module"));
                assertEquals(v + "!", m.get("x_action"));
            }
        }
    }

    @Test
    void rpcIdsAndPidsAreJoinedWithoutEscapingProblems() {
        assertEquals("0.3.2", CollectingWriter.parse(line(mysqlRequest().rpcId("0.3", 2))).get("x_rpc_id"));
        assertEquals("0.3", CollectingWriter.parse(line(mysqlRequest().rpcId("0.3"))).get("x_rpc_id"));
        assertEquals("a\"b.7", CollectingWriter.parse(line(mysqlRequest().rpcId("a\"b", 7))).get("x_rpc_id"));
        RecordEncoder odd = new RecordEncoder(null, null, "pid\"x", 64 * 1024);
        assertEquals("pid\"x-17", CollectingWriter.parse(line(odd, mysqlRequest())).get("x_pid"));
    }

    @Test
    void aLineLongerThanTheGeneratorBufferIsComplete() {
        // 40,000 chars: more than the generator's own buffer, less than record.max.bytes.
        char[] big = new char[40_000];
        Arrays.fill(big, 'x');
        String msg = new String(big);
        Map<String, Object> m = CollectingWriter.parse(line(mysqlRequest().msg(msg)));
        assertEquals(msg, m.get("x_msg"));
        assertEquals("select * from orders where id = ?", m.get("x_action"));
        // and the next short record is not polluted by the long one
        assertEquals("order_dao_find", CollectingWriter.parse(line(mysqlRequest())).get("x_module"));
        assertEquals(0, encoder.truncatedCount());
    }

    @Test
    void anOversizedRecordIsTruncatedToRecordMaxBytesAndStaysValid() {
        RecordEncoder small = new RecordEncoder(null, null, "1", 1024);
        StringBuilder msg = new StringBuilder();
        while (msg.length() < 10_000) {
            msg.append("订单\uD83D\uDE00 \"quoted\" \n");
        }
        char[] sql = new char[5_000];
        Arrays.fill(sql, 's');
        Record r = mysqlRequest().msg(msg.toString()).action(new String(sql)).extra("note", msg.toString());
        int n = small.encode(r);
        assertTrue(n <= 1024, "line of " + n + " bytes");
        String l = new String(small.buffer(), 0, n, StandardCharsets.UTF_8);
        assertSingleLine(Arrays.copyOf(small.buffer(), n));
        Map<String, Object> m = CollectingWriter.parse(l);
        assertTrue(((String) m.get("x_msg")).endsWith("...[truncated]"), l);
        assertTrue(((String) m.get("x_action")).endsWith("...[truncated]"), l);
        assertEquals("order_dao_find", m.get("x_module"), "short fields are untouched");
        assertEquals(TRACE, m.get("x_trace_id"));
        assertEquals(1, small.truncatedCount());
    }

    @Test
    void truncationNeverSplitsASurrogatePair() {
        RecordEncoder small = new RecordEncoder(null, null, "1", 1024);
        StringBuilder s = new StringBuilder();
        while (s.length() < 3000) {
            s.append('\uD83D').append('\uDE00');
        }
        int n = small.encode(mysqlRequest().msg(s.toString()));
        String msg = (String) CollectingWriter.parse(new String(small.buffer(), 0, n, StandardCharsets.UTF_8))
                .get("x_msg");
        String kept = msg.substring(0, msg.length() - "...[truncated]".length());
        assertEquals(0, kept.length() % 2);
        assertFalse(Character.isHighSurrogate(kept.charAt(kept.length() - 1)));
    }

    @Test
    void manyExtrasAreDroppedAsTheLastResort() {
        RecordEncoder small = new RecordEncoder(null, null, "1", 1024);
        Record r = mysqlRequest();
        for (int i = 0; i < Record.MAX_EXTRAS + 10; i++) {
            r.extra("key_number_" + i + "_with_a_long_name", "value number " + i + " with some length");
        }
        assertEquals(Record.MAX_EXTRAS, r.extraCount(), "extras beyond MAX_EXTRAS are ignored");
        int n = small.encode(r);
        assertTrue(n <= 1024);
        Map<String, Object> m = CollectingWriter.parse(new String(small.buffer(), 0, n, StandardCharsets.UTF_8));
        assertNull(m.get("x_extra"));
        assertEquals("select * from orders where id = ?", m.get("x_action"));
    }

    @Test
    void copyFromCopiesEveryField() {
        Record src = mysqlRequest().extra("a", "b").extra("n", 1L).msg("m").responseLen(3);
        Record dst = new Record().extra("stale", "x");
        dst.copyFrom(src);
        assertEquals(line(src), line(dst));
    }

    @Test
    void copyFromReplacesMoreExtrasAndGrowsForMore() {
        Record many = mysqlRequest();
        for (int i = 0; i < 9; i++) {
            if (i % 2 == 0) {
                many.extra("k" + i, "v" + i);
            } else {
                many.extra("k" + i, (long) i);
            }
        }
        many.extra("s", "text").extra("d", 0.25);
        Record slot = new Record(3);
        slot.copyFrom(many);   // more entries than its arrays had
        assertEquals(line(many), line(slot));
        Record few = mysqlRequest().extra("only", "one");
        slot.copyFrom(few);    // fewer: the rest are dropped, their strings not kept
        assertEquals(line(few), line(slot));
        assertEquals(1, slot.extraCount());
        for (int i = 1; i < slot.extraKeys.length; i++) {
            assertNull(slot.extraKeys[i], "no stale key at " + i);
            assertNull(slot.extraStrings[i], "no stale string at " + i);
        }
        slot.copyFrom(mysqlRequest());
        assertEquals(line(mysqlRequest()), line(slot));
    }

    @Test
    void encodingATypicalRecordAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Record r = mysqlRequest().responseLen(1);
        for (int i = 0; i < 20_000; i++) {
            encoder.encode(r); // warm up
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            encoder.encode(r);
        }
        long perRecord = (mx.getThreadAllocatedBytes(tid) - before) / 100_000;
        assertEquals(0, perRecord, "bytes allocated per encoded record");
    }

    /**
     * Random strings over every range of UTF-16 (ASCII controls, Latin-1, the BMP, surrogates in
     * pairs and alone, the line terminators), as values and as extra keys: each line is one valid
     * UTF-8 line whose strings read back exactly, with a fixed seed so a failure repeats.
     */
    @Test
    void randomStringsRoundTripExactly() {
        java.util.Random rnd = new java.util.Random(20261205L);
        char[] special = {'"', '\\', '\n', '\r', '\t', '\b', '\f', 0, 0x1f, 0x7f, 0x85, 0xa0, 0xff, 0x100, 0x7ff, 0x800,
            0x2028, 0x2029, 0xd800, 0xdbff, 0xdc00, 0xdfff, 0xfeff, 0xfffd, 0xffff};
        for (int round = 0; round < 3000; round++) {
            int len = rnd.nextInt(round % 10 == 0 ? 400 : 40);
            StringBuilder sb = new StringBuilder(len);
            for (int k = 0; k < len; k++) {
                switch (rnd.nextInt(5)) {
                    case 0: sb.append((char) rnd.nextInt(0x80)); break;
                    case 1: sb.append((char) rnd.nextInt(0x800)); break;
                    case 2: sb.append((char) rnd.nextInt(0x10000)); break;
                    case 3: sb.appendCodePoint(0x10000 + rnd.nextInt(0x100000)); break;
                    default: sb.append(special[rnd.nextInt(special.length)]);
                }
            }
            String v = sb.toString();
            String l = line(mysqlRequest().msg(v).param(v + v).extra(v.isEmpty() ? "k" : v, v));
            Map<String, Object> m = CollectingWriter.parse(l);
            assertEquals(v.isEmpty() ? null : v, m.get("x_msg"), "round " + round);
            assertEquals(v.isEmpty() ? null : v + v, m.get("x_param"), "round " + round);
            @SuppressWarnings("unchecked")
            Map<String, Object> extra = (Map<String, Object>) m.get("x_extra");
            assertEquals(v, extra.get(v.isEmpty() ? "k" : v), "round " + round);
            assertFalse(l.contains("\u2028") || l.contains("\u2029") || l.contains("\u0085"), l);
        }
    }

    @Test
    void aHugeValueIsTruncatedWithoutGrowingTheBufferToItsSize() {
        char[] big = new char[10_000_000];
        Arrays.fill(big, 'y');
        int n = encoder.encode(mysqlRequest().backtrace(new String(big)));
        assertTrue(n <= 64 * 1024, "line of " + n + " bytes");
        assertTrue(encoder.buffer().length < 1024 * 1024, "buffer of " + encoder.buffer().length + " bytes");
        Map<String, Object> m = CollectingWriter.parse(new String(encoder.buffer(), 0, n, StandardCharsets.UTF_8));
        assertTrue(((String) m.get("x_backtrace")).endsWith("...[truncated]"));
    }

    @Test
    void extraNumbersKeepTheirSignAndType() {
        Map<String, Object> m = CollectingWriter.parse(line(mysqlRequest().extra("a", -17L).extra("b", Long.MIN_VALUE)
                .extra("c", Long.MAX_VALUE).extra("d", 0L).extra("e", -2.5d).extra("f", 1e-7d)));
        @SuppressWarnings("unchecked")
        Map<String, Object> extra = (Map<String, Object>) m.get("x_extra");
        assertEquals(-17L, ((Number) extra.get("a")).longValue());
        assertEquals(Long.MIN_VALUE, ((Number) extra.get("b")).longValue());
        assertEquals(Long.MAX_VALUE, ((Number) extra.get("c")).longValue());
        assertEquals(0L, ((Number) extra.get("d")).longValue());
        assertEquals(-2.5d, ((Number) extra.get("e")).doubleValue());
        assertEquals(1e-7d, ((Number) extra.get("f")).doubleValue());
    }
}
