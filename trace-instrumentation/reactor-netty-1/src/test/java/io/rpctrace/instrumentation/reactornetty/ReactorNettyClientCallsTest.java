package io.rpctrace.instrumentation.reactornetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** {@code x_host} of a client call, kept per scheme and authority: the same as parsing each URL. */
class ReactorNettyClientCallsTest {
    @Test
    void theKeptHostIsTheParsedOneForEachAuthority() {
        String[] urls = {
            "http://127.0.0.1:18090/items/1", "http://127.0.0.1:18090/items/2?x=1", "http://127.0.0.1:18091/items/1",
            "https://127.0.0.1/a", "http://127.0.0.1/a", "http://127.0.0.1", "http://127.0.0.1?q=1",
            "http://user:pw@127.0.0.2:81/p", "http://[::1]:8080/v6", "http://[::1]:8081#f", "http://localhost:9/x",
        };
        for (int round = 0; round < 3; round++) {   // made, then kept
            for (String url : urls) {
                assertEquals(ReactorNettyClientCalls.host(url, false), ReactorNettyClientCalls.resolvedHost(url), url);
            }
        }
        assertEquals("127.0.0.1:18090", ReactorNettyClientCalls.resolvedHost("http://127.0.0.1:18090/items/3"));
        assertEquals("127.0.0.1:443", ReactorNettyClientCalls.resolvedHost("https://127.0.0.1/b"));
        assertEquals("127.0.0.1:80", ReactorNettyClientCalls.resolvedHost("http://127.0.0.1/b"));
        assertEquals("[::1]:8080", ReactorNettyClientCalls.resolvedHost("http://[::1]:8080/w"));
        assertNull(ReactorNettyClientCalls.resolvedHost("not a url"));
    }
}
