package io.rpctrace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** {@code x_param} values: JSON, typed, capped (docs/record.md#fields). */
class ParamJsonTest {
    @Test
    void paramValuesAreJsonAndCapped() {
        StringBuilder sb = new StringBuilder();
        ParamJson.appendValue(sb, 42);
        ParamJson.appendValue(sb, Double.NaN);
        ParamJson.appendValue(sb, new byte[3]);
        ParamJson.appendValue(sb, null);
        ParamJson.appendValue(sb, new java.io.ByteArrayInputStream(new byte[1]));
        ParamJson.appendString(sb, "a\"b\n\u0001");
        assertEquals("42\"NaN\"\"<3 bytes>\"null\"<stream>\"\"a\\\"b\\n\\u0001\"", sb.toString());
        sb.setLength(0);
        ParamJson.appendString(sb, "x".repeat(ParamJson.MAX_VALUE_CHARS + 10));
        assertEquals(ParamJson.MAX_VALUE_CHARS + 2 + ParamJson.CUT.length(), sb.length());
    }
}
