package io.rpctrace.instrumentation.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RedisCommandsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private enum Command { GET, AUTH }

    @Test
    void actionIsTheCommandAndItsFirstArgument() {
        assertEquals("GET", RedisCommands.name(Command.GET, b("GET")));
        assertEquals("JSON.GET", RedisCommands.name(new Object(), b("json.get")));
        assertEquals("GET user:42", RedisCommands.action("GET", b("user:42")));
        assertEquals("PING", RedisCommands.action("PING", null));
        assertEquals("AUTH", RedisCommands.action("AUTH", b("s3cret")));
        assertEquals("HELLO", RedisCommands.action("HELLO", b("3")));
        char[] longKey = new char[300];
        Arrays.fill(longKey, 'k');
        assertEquals(4 + RedisCommands.MAX_KEY_CHARS + 3, RedisCommands.action("GET", b(new String(longKey))).length());
    }

    @Test
    void furtherArgumentsAreCappedJsonWithCredentialsMasked() {
        assertEquals("[\"v1\",\"EX\",\"10\"]", RedisCommands.paramsJson("SET", new byte[][] {b("k"), b("v1"), b("EX"), b("10")}));
        assertNull(RedisCommands.paramsJson("GET", new byte[][] {b("k")}));
        assertNull(RedisCommands.paramsJson("AUTH", new byte[][] {b("user"), b("pw")}));
        assertEquals("[\"requirepass\",\"***\"]", RedisCommands.paramsJson("CONFIG", new byte[][] {b("SET"), b("requirepass"), b("pw")}));
        assertEquals("[\"0\",\"AUTH\",\"***\"]",
                RedisCommands.paramsJson("MIGRATE", new byte[][] {b("host"), b("0"), b("AUTH"), b("pw")}));
        assertEquals("[\"on\",\"***\"]", RedisCommands.paramsJson("ACL", new byte[][] {b("SETUSER"), b("on"), b(">pw")}));
        List<byte[]> iterable = List.of(b("SET"), b("k"), b("v"));
        assertEquals("[\"v\"]", RedisCommands.paramsJson("SET", iterable));
    }

    @Test
    void errorCodesAndDatabases() {
        assertEquals("WRONGTYPE", RedisCommands.errorCode(new RuntimeException("WRONGTYPE Operation against a key")));
        assertEquals("ERR", RedisCommands.errorCode(new RuntimeException("ERR unknown command")));
        assertEquals("IllegalStateException", RedisCommands.errorCode(new IllegalStateException("Connection refused")));
        assertEquals(3, RedisCommands.parseDb(b("3"), 0));
        assertEquals(5, RedisCommands.parseDb(b("x"), 5));
        assertEquals("GET user:#", RedisCommands.siteKey("GET", "user:123"));
        assertEquals(RedisCommands.siteKey("SETEX", "order:" + java.util.UUID.randomUUID()),
                RedisCommands.siteKey("SETEX", "order:" + java.util.UUID.randomUUID()), "UUID keys share a site");
    }
}
