package io.rpctrace.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** docs/model.md#ids: which incoming TraceIDs and RPCIDs are accepted, and how RPCIDs sort. */
class IdValidationTest {

    private static String repeat(String s, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(s);
        }
        return b.toString();
    }

    /** {@code 0.1.1...} with {@code n} segments. */
    private static String segments(int n) {
        return "0" + repeat(".1", n - 1);
    }

    // ---- TraceID ----

    @Test
    void generatedTraceIdsAre32LowercaseHexAndUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = TraceId.generate();
            assertTrue(id.matches("[0-9a-f]{32}"), id);
            assertTrue(TraceId.isValid(id) && TraceId.isW3c(id), id);
            assertTrue(seen.add(id), "duplicate " + id);
        }
    }

    static Stream<Arguments> traceIds() {
        return Stream.of(
                Arguments.of("a", true),
                Arguments.of("4bf92f3577b34da6a3ce929d0e0e4736", true),
                Arguments.of("Order-Req_42", true),
                Arguments.of(repeat("a", 64), true),
                Arguments.of(null, false),
                Arguments.of("", false),
                Arguments.of(repeat("a", 65), false),
                Arguments.of(repeat("f", 10_000), false),
                Arguments.of("abc def", false),
                Arguments.of("abc.def", false),
                Arguments.of("abc\n", false),
                Arguments.of("abc\"}", false),
                Arguments.of("caf\u00e9", false),
                Arguments.of("\uff11\uff12\uff13", false), // fullwidth digits
                Arguments.of("id\uD83D\uDE00", false),
                Arguments.of("\uD800", false));
    }

    @ParameterizedTest(name = "TraceId.isValid({0}) == {1}")
    @MethodSource("traceIds")
    void incomingTraceIds(String value, boolean valid) {
        assertEquals(valid, TraceId.isValid(value));
        Scope s = Scope.enter(value, null, false);
        if (valid) {
            assertEquals(value, s.traceId());
        } else {
            assertTrue(s.traceId().matches("[0-9a-f]{32}"), "a rejected id is replaced by a new one");
            assertNotEquals(value, s.traceId());
        }
    }

    @Test
    void w3cFormIs32HexNotAllZero() {
        assertTrue(TraceId.isW3c("4BF92F3577B34DA6A3CE929D0E0E4736"));
        assertFalse(TraceId.isW3c(repeat("0", 32)));
        assertFalse(TraceId.isW3c(repeat("g", 32)));
        assertFalse(TraceId.isW3c("abc"));
        assertFalse(TraceId.isW3c(null));
    }

    // ---- RPCID ----

    static Stream<Arguments> rpcIds() {
        return Stream.of(
                Arguments.of("0", true, "root"),
                Arguments.of("0.1", true, "two segments"),
                Arguments.of("0.2.1", true, "three segments"),
                Arguments.of("0.10.999999999", true, "nine-digit segment"),
                Arguments.of("7", true, "non-zero root"),
                Arguments.of(segments(64), true, "64 segments"),
                Arguments.of(segments(65), false, "too deep: 65 segments"),
                Arguments.of(repeat("123456789.", 52) + "1", false, "too long: 521 characters in 53 segments"),
                Arguments.of(repeat("0.", 5_000), false, "10k characters"),
                Arguments.of(null, false, "null"),
                Arguments.of("", false, "empty"),
                Arguments.of(".", false, "only a dot"),
                Arguments.of("0.", false, "empty last segment"),
                Arguments.of(".0", false, "empty first segment"),
                Arguments.of("0..1", false, "empty middle segment"),
                Arguments.of("00", false, "leading zero"),
                Arguments.of("0.01", false, "leading zero in a segment"),
                Arguments.of("0.1234567890", false, "ten-digit segment"),
                Arguments.of("0.a", false, "non-digit"),
                Arguments.of("0.1a", false, "trailing letter"),
                Arguments.of("-1", false, "minus sign"),
                Arguments.of("+1", false, "plus sign"),
                Arguments.of("0 .1", false, "space"),
                Arguments.of(" 0.1", false, "leading space"),
                Arguments.of("0.1\n", false, "newline"),
                Arguments.of("0,1", false, "comma"),
                Arguments.of("0.\u0663", false, "Arabic-Indic digit"),
                Arguments.of("\uff10.\uff11", false, "fullwidth digits"),
                Arguments.of("0.1\uD83D\uDE00", false, "emoji"),
                Arguments.of("0.\uD800", false, "lone surrogate"));
    }

    @ParameterizedTest(name = "{2}: RpcId.isValid == {1}")
    @MethodSource("rpcIds")
    void incomingRpcIds(String value, boolean valid, String what) {
        assertEquals(valid, RpcId.isValid(value), what);
        Scope s = Scope.enter("caller-trace", value, false);
        assertEquals(valid ? value : "0", s.prefix(), "an invalid caller id is treated as absent");
        assertEquals("0", Scope.enter(null, value, false).prefix(),
                "without a usable trace id the caller's id means nothing: start at the root");
    }

    @Test
    void longestValidIdIs512Characters() {
        String tail = repeat(".123456789", 51); // 510 characters
        assertEquals(512, ("10" + tail).length());
        assertTrue(RpcId.isValid("10" + tail), "512 characters");
        assertFalse(RpcId.isValid("100" + tail), "513 characters");
    }

    @Test
    void aCallIdJoinsThePrefixAndTheCounter() {
        for (int seq : new int[] {0, 1, 9, 10, 63, 64, 100, 123456789}) {
            assertEquals("0.2." + seq, RpcId.join("0.2", seq));
        }
        assertEquals("0.1", RpcId.join("0", 1));
    }

    @Test
    void depthAndParent() {
        assertEquals(1, RpcId.depth("0"));
        assertEquals(3, RpcId.depth("0.3.2"));
        assertEquals("0.3", RpcId.parent("0.3.2"));
        assertEquals("0", RpcId.parent("0.3"));
        assertNull(RpcId.parent("0"));
    }

    @Test
    void siblingsSortNumericallyAndParentsBeforeChildren() {
        List<String> ids = new ArrayList<>(Arrays.asList(
                "0.10", "0.9", "0.3.2", "0.2.1", "0.3.10", "0.1", "0.3", "0.2", "0", "0.3.1", "0.100", "0.11"));
        Collections.shuffle(ids, new java.util.Random(7));
        ids.sort(RpcId.NUMERIC_ORDER);
        assertEquals(Arrays.asList(
                "0", "0.1", "0.2", "0.2.1", "0.3", "0.3.1", "0.3.2", "0.3.10", "0.9", "0.10", "0.11", "0.100"), ids);
    }

    @Test
    void compareIsAConsistentOrder() {
        assertTrue(RpcId.compare("0.9", "0.10") < 0, "0.10 after 0.9");
        assertTrue(RpcId.compare("0.10", "0.9") > 0);
        assertTrue(RpcId.compare("0.3", "0.3.1") < 0, "parent before child");
        assertTrue(RpcId.compare("0.3.1", "0.4") < 0, "a child before its parent's next sibling");
        assertEquals(0, RpcId.compare("0.3.2", "0.3.2"));
        assertTrue(RpcId.compare("0.999999999", "0.1000000000") < 0, "longer numbers are larger");
        // any string compares without throwing: non-digit segments after numeric ones
        assertTrue(RpcId.compare("0.1", "0.x") < 0);
        assertTrue(RpcId.compare("", "0") < 0);
    }
}
