package io.rpctrace.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Debug tokens (docs/propagation.md#debug-mode): the raw secret at the entry, an HMAC bound to the
 * trace downstream.
 */
class DebugTokenTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private final DebugToken token = new DebugToken("s3cret");

    @Test
    void theRawSecretIsAccepted() {
        assertTrue(token.accepts(TRACE, "s3cret"));
        assertTrue(token.accepts(null, "s3cret"));
    }

    @Test
    void downstreamTheTokenIsAnHmacOfTheTraceId() {
        String bound = token.forTrace(TRACE);
        assertTrue(bound.matches("[0-9a-f]{64}"), bound);
        assertFalse(bound.contains("s3cret"));
        assertEquals(bound, new DebugToken("s3cret").forTrace(TRACE), "deterministic");
        assertTrue(token.accepts(TRACE, bound));
        assertFalse(token.accepts("another-trace", bound), "bound to its trace");
        assertFalse(new DebugToken("other").accepts(TRACE, bound), "bound to the secret");
    }

    @Test
    void wrongMissingOrHugeTokensAreRejected() {
        assertFalse(token.accepts(TRACE, "S3CRET"));
        assertFalse(token.accepts(TRACE, "s3cret "));
        assertFalse(token.accepts(TRACE, null));
        assertFalse(token.accepts(TRACE, ""));
        assertFalse(token.accepts(TRACE, "s3cret".repeat(2000)));
    }

    @Test
    void withoutASecretDebugModeIsOff() {
        for (String secret : new String[] {null, ""}) {
            DebugToken off = new DebugToken(secret);
            assertFalse(off.enabled());
            assertFalse(off.accepts(TRACE, ""));
            assertFalse(off.accepts(TRACE, "anything"));
            assertNull(off.forTrace(TRACE));
        }
        assertTrue(token.enabled());
        assertNotEquals(token.forTrace(TRACE), token.forTrace(TRACE + "x"));
    }

    @Test
    void theSecretIsMaskedInText() {
        String headers = "[X-Debug:\"1\", X-Debug-Token:\"s3cret\"]";
        assertEquals("[X-Debug:\"1\", X-Debug-Token:\"***\"]", token.masked(headers, "***"));
        String plain = "nothing to hide";
        assertSame(plain, token.masked(plain, "***"));
        assertSame(headers, new DebugToken(null).masked(headers, "***"));
        assertNull(token.masked(null, "***"));
    }
}
