package io.rpctrace.instrumentation.xmemcached;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.rubyeye.xmemcached.command.CommandType;
import net.rubyeye.xmemcached.transcoders.CachedData;
import org.junit.jupiter.api.Test;

/** Verbs, multi-get keys and values of xmemcached's real types (no server needed). */
class XCommandsTest {
    @Test
    void verbs() {
        assertEquals("get", XCommands.verb(CommandType.GET_ONE));
        assertEquals("get", XCommands.verb(CommandType.GET_MANY));
        assertEquals("gets", XCommands.verb(CommandType.GETS_ONE));
        assertEquals("set", XCommands.verb(CommandType.SET));
        assertEquals("delete", XCommands.verb(CommandType.DELETE));
        assertEquals("flush_all", XCommands.verb(CommandType.FLUSH_ALL));
        assertEquals("gat", XCommands.verb(CommandType.GATQ));
    }

    @Test
    void multiGetKeys() {
        assertEquals(Arrays.asList("a", "b:1", "c"), XCommands.keys("a b:1 c".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void values() {
        byte[] v = "v".getBytes(StandardCharsets.UTF_8);
        assertArrayEquals(v, XCommands.data(new CachedData(0, v)));
    }
}
