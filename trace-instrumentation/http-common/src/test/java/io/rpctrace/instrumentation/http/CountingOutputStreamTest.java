package io.rpctrace.instrumentation.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.internal.ResponseCapture;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A served response's x_response_len and x_response excerpt, counted as the application writes. */
class CountingOutputStreamTest {
    @Test
    void aCountedBodyKeepsItsFirstBytesOnlyWhenAsked() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        OutputStream plain = CountingOutputStream.wrap(sink, false);
        plain.write("hello".getBytes(StandardCharsets.UTF_8));
        assertNull(CountingOutputStream.excerpt(plain));
        assertEquals(5, CountingOutputStream.count(plain));

        OutputStream kept = CountingOutputStream.wrap(new ByteArrayOutputStream(), true);
        kept.write('{');
        byte[] chunk = new byte[3000];
        Arrays.fill(chunk, (byte) 'y');
        kept.write(chunk, 0, chunk.length);
        assertEquals(3001, CountingOutputStream.count(kept));
        String s = CountingOutputStream.excerpt(kept);
        assertTrue(s.startsWith("{yyy") && s.endsWith("…"), s);
        assertEquals(ResponseCapture.MAX_CHARS + 1, s.length());
    }
}
