package io.rpctrace.instrumentation.memcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MemcacheKeysTest {
    @Test
    void aPlainKeyIsWrittenAsIs() {
        assertEquals("get user:42", MemcacheKeys.action("get", "user:42"));
        assertEquals("flush_all", MemcacheKeys.action("flush_all", (String) null));
        String k = "inventory:sku-1";
        assertSame(k, MemcacheKeys.key(k));
        String plain = "monkey";
        assertSame(plain, MemcacheKeys.key(plain));
    }

    @Test
    void thePartAfterASecretNameIsMasked() {
        assertEquals("get session:***", MemcacheKeys.action("get", "session:9f8e7d6c"));
        assertEquals("set u:1:token:***:ttl", MemcacheKeys.action("set", "u:1:token:abc:ttl"));
        assertEquals("get api_key=***", MemcacheKeys.action("get", "api_key=xyz"));
        assertEquals("get auth/***", MemcacheKeys.action("get", "auth/Bearer-abc"));
        assertEquals("get author:7", MemcacheKeys.action("get", "author:7"));
        assertEquals("get session:", MemcacheKeys.action("get", "session:"));
        assertEquals("get User:1:API_TOKEN:***", MemcacheKeys.action("get", "User:1:API_TOKEN:abc"), "in capitals too");
    }

    @Test
    void longKeysAreCapped() {
        char[] c = new char[300];
        Arrays.fill(c, 'a');
        String action = MemcacheKeys.action("get", new String(c));
        assertEquals(4 + MemcacheKeys.MAX_KEY_CHARS + 3, action.length());
        assertEquals("...", action.substring(action.length() - 3));
    }

    @Test
    void multiGetsListTheirFirstKeys() {
        assertEquals("get a b session:***", MemcacheKeys.action("get", Arrays.asList("a", "b", "session:s")));
        assertEquals("get k1 k2 k3 k4 k5 k6 k7 k8 ...(+2)",
                MemcacheKeys.action("get", Arrays.asList("k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9", "k10")));
    }

    @Test
    void callSitesIgnoreDigits() {
        assertEquals("get user:#", MemcacheKeys.siteKey("get", "user:42"));
        assertEquals(MemcacheKeys.siteKey("get", "s:" + java.util.UUID.randomUUID()),
                MemcacheKeys.siteKey("get", "s:" + java.util.UUID.randomUUID()), "UUID keys share a site");
        assertEquals(MemcacheKeys.siteKey("get", "user:1"), MemcacheKeys.siteKey("get", "user:2"));
    }
}
