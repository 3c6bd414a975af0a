package io.rpctrace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseCaptureTest {

    @Test
    void repliesBecomeReadableText() {
        assertEquals("OK", ResponseCapture.excerpt("OK"));
        assertEquals("v1", ResponseCapture.excerpt("v1".getBytes(StandardCharsets.UTF_8)));
        assertEquals("42", ResponseCapture.excerpt(42L));
        assertEquals("(nil)", ResponseCapture.excerpt(null));
        assertEquals("[\"a\",\"b\\\"c\",(nil),7]", ResponseCapture.excerpt(
                Arrays.asList("a".getBytes(StandardCharsets.UTF_8), "b\"c", null, 7)));
        Map<String, Object> hash = new LinkedHashMap<>();
        hash.put("f1", "v1");
        hash.put("f2", 2);
        assertEquals("{\"f1\":\"v1\",\"f2\":2}", ResponseCapture.excerpt(hash));
        assertEquals("<Object>", ResponseCapture.excerpt(new Object()), "never the client's own toString()");
    }

    @Test
    void longRepliesAreCappedAndBigListsSaySoWithoutWalkingThemWhole() {
        char[] big = new char[10_000];
        Arrays.fill(big, 'x');
        String s = ResponseCapture.excerpt(new String(big));
        assertEquals(ResponseCapture.MAX_CHARS + 1, s.length());
        assertTrue(s.endsWith("…"));
        List<Integer> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(i);
        }
        String l = ResponseCapture.excerpt(many);
        assertTrue(l.startsWith("[0,1,2,") && l.endsWith(",…1000 items]"), l);
        // an emoji cut in the middle of its surrogate pair is dropped whole
        StringBuilder pairs = new StringBuilder();
        while (pairs.length() < 2 * ResponseCapture.MAX_CHARS) {
            pairs.append("a\uD83D\uDE00");
        }
        String e = ResponseCapture.excerpt(pairs.toString());
        assertTrue(!Character.isHighSurrogate(e.charAt(e.length() - 2)), e);
    }

    @Test
    void aReplyThatFailsToReadGivesANoteNotAnException() {
        List<Object> broken = new ArrayList<Object>() {
            @Override
            public Object[] toArray() {
                throw new java.util.ConcurrentModificationException();
            }
        };
        assertTrue(ResponseCapture.excerpt(broken).startsWith("<unreadable"), "the call's record must still be written");
    }

    @Test
    void invalidUtf8BecomesReplacementCharacters() {
        byte[] bad = {'o', 'k', (byte) 0xC3, ' ', (byte) 0xFF, (byte) 0xE2, (byte) 0x82};
        String s = ResponseCapture.excerpt(bad);
        assertTrue(s.startsWith("ok\uFFFD \uFFFD"), s);
        assertTrue(s.indexOf((char) 0xFF) < 0);
    }

    @Test
    void secretLookingValuesAreMasked() {
        assertEquals("{\"user\":\"ann\",\"access_token\":\"***\",\"n\":1}",
                ResponseCapture.excerpt("{\"user\":\"ann\",\"access_token\":\"eyJ\\\"abc\",\"n\":1}"));
        assertEquals("user=ann&password=***&x=1", ResponseCapture.excerpt("user=ann&password=hunter2&x=1"));
        assertEquals("{\"tokens\": 3}", ResponseCapture.excerpt("{\"tokens\": 3}"), "only string values are masked");
    }
}
