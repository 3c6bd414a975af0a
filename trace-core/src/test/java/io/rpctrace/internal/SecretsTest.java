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

    @Test
    void aRegionOfAStringIsCheckedInPlace() {
        String query = "id=7&api_key=x&monkey=1&Auth-Token=y&page.sig=z";
        assertFalse(Secrets.isSecretName(query, 0, 2));      // id
        assertTrue(Secrets.isSecretName(query, 5, 12));      // api_key
        assertFalse(Secrets.isSecretName(query, 15, 21));    // monkey
        assertTrue(Secrets.isSecretName(query, 24, 34));     // Auth-Token
        assertTrue(Secrets.isSecretName(query, 37, 45));     // page.sig
        assertTrue(Secrets.isSecretName("KEY", 0, 3));
        assertTrue(Secrets.isSecretName("sig_v4", 0, 6));
        assertFalse(Secrets.isSecretName("signal", 0, 6));
        assertFalse(Secrets.isSecretName(query, 3, 3));
    }
}
