package io.rpctrace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KeyShapeTest {
    @Test
    void aKeyShapeKeepsNamesAndDropsWhatVariesPerCall() {
        assertEquals("GET user:#:cart", KeyShape.of("GET", "user:42:cart"));
        assertEquals("SETEX shop:order:#", KeyShape.of("SETEX", "shop:order:1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed"));
        assertEquals(KeyShape.of("GET", "s:" + java.util.UUID.randomUUID()),
                KeyShape.of("GET", "s:" + java.util.UUID.randomUUID()));
        assertEquals("GET user_#", KeyShape.of("GET", "user_42"));
        assertEquals("GET rpctrace-demo:ord-#", KeyShape.of("GET", "rpctrace-demo:ord-7f3a"));
        assertEquals("GET sha:#", KeyShape.of("GET", "sha:deadbeef0123"));
        assertEquals("GET token:#", KeyShape.of("GET", "token:abcdefghijklmnopqrstuvwxyzabc"), "a long word is a token");
        assertEquals("GET cache::books::SimpleKey [#]", KeyShape.of("GET", "cache::books::SimpleKey [12]"));
        assertEquals("SET rpct:k", KeyShape.of("SET", "rpct:k1"), "a short name with a number: its digits dropped");
        assertEquals("SET rpct:user", KeyShape.of("SET", "rpct:user42"));
        assertEquals("GET s:#", KeyShape.of("GET", "s:aB3dE5gH7jK9"), "a long id");
        assertEquals("GET s:#", KeyShape.of("GET", "s:ab8dfbbd-4b2d"), "hex from its first letter");
        assertEquals("GET", KeyShape.of("GET", null));
        assertEquals("redisson GET a:#", KeyShape.of("redisson ", "GET", "a:1"));
        assertEquals("redisson GET", KeyShape.of("redisson ", "GET", null));
        String prefix = "ab:".repeat(20);   // 60 characters of names, then a UUID the limit cuts
        assertEquals("GET " + prefix + "#", KeyShape.of("GET", prefix + java.util.UUID.randomUUID()),
                "a UUID the limit cuts is read to its end");
        String longKey = "ab:".repeat(100);
        assertEquals("GET " + "ab:".repeat(21) + "ab", KeyShape.of("GET", longKey),
                "a long key is looked at in part: its first 64 characters, the last word read to its end");
    }
}
