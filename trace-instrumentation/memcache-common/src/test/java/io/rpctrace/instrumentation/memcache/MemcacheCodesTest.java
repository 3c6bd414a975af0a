package io.rpctrace.instrumentation.memcache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class MemcacheCodesTest {
    @Test
    void statusNames() {
        assertEquals("0", MemcacheCodes.ofStatus("SUCCESS"));
        assertEquals("miss", MemcacheCodes.ofStatus("ERR_NOT_FOUND"));
        assertEquals("exists", MemcacheCodes.ofStatus("ERR_EXISTS"));
        assertEquals("not_stored", MemcacheCodes.ofStatus("ERR_NOT_STORED"));
        assertEquals("timeout", MemcacheCodes.ofStatus("TIMEDOUT"));
        assertEquals("cancelled", MemcacheCodes.ofStatus("CANCELLED"));
        assertEquals("server_error", MemcacheCodes.ofStatus("ERR_INTERNAL"));
        assertEquals("2big", MemcacheCodes.ofStatus("ERR_2BIG"));
    }

    @Test
    void missesAndLostRacesAreNotFailures() {
        assertFalse(MemcacheCodes.failure("0"));
        assertFalse(MemcacheCodes.failure("miss"));
        assertFalse(MemcacheCodes.failure("not_stored"));
        assertFalse(MemcacheCodes.failure("exists"));
        assertTrue(MemcacheCodes.failure("timeout"));
        assertTrue(MemcacheCodes.failure("cancelled"));
    }

    @Test
    void results() {
        assertEquals("miss", MemcacheCodes.ofResult("get", null));
        assertEquals("0", MemcacheCodes.ofResult("get", new Object()));
        assertEquals("miss", MemcacheCodes.ofResult("delete", false));
        assertEquals("0", MemcacheCodes.ofResult("delete", true));
        assertEquals("not_stored", MemcacheCodes.ofResult("add", false));
        assertEquals("exists", MemcacheCodes.ofResult("cas", false));
    }

    @Test
    void throwables() {
        assertEquals("timeout", MemcacheCodes.ofThrowable(new TimeoutException("Timed out(1000 milliseconds)")));
        assertEquals("connection_lost", MemcacheCodes.ofThrowable(new RuntimeException("Session has been closed")));
        assertEquals("no_connection",
                MemcacheCodes.ofThrowable(new RuntimeException("There is no available connection at this moment")));
        assertEquals("connect_failed", MemcacheCodes.ofThrowable(new ConnectException("Connection refused")));
        assertEquals("IllegalStateException", MemcacheCodes.ofThrowable(new IllegalStateException("x")));
    }
}
