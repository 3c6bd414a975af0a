package io.rpctrace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** docs/record.md#secrets: one rule for every name that may hold a secret. */
class SecretsTest {
    @Test
    void secretLookingNamesAreSecretWhateverTheirCase() {
        assertTrue(Secrets.isSecretName("Authorization"));
        assertTrue(Secrets.isSecretName("access_token"));
        assertTrue(Secrets.isSecretName("api_key"));
        assertTrue(Secrets.isSecretName("auth-token"));
        assertTrue(Secrets.isSecretName("X-Session-Id"));
        assertEquals("***", Secrets.MASK);
    }

    @Test
    void shortWordsCountOnlyAsWholeWords() {
        assertFalse(Secrets.isSecretName("monkey"));
        assertFalse(Secrets.isSecretName("author"));
        assertFalse(Secrets.isSecretName("design"));
        assertFalse(Secrets.isSecretName(""));
        assertFalse(Secrets.isSecretName(null));
    }
}
