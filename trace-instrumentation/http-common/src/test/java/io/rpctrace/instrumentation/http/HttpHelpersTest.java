package io.rpctrace.instrumentation.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class HttpHelpersTest {
    @Test
    void clientIpPrefersLeftMostForwardedForThenRealIpThenPeer() {
        assertEquals("203.0.113.7", ClientIp.resolve("203.0.113.7, 10.0.0.1", "10.0.0.2", "127.0.0.1"));
        assertEquals("10.0.0.2", ClientIp.resolve(null, "10.0.0.2", "127.0.0.1"));
        assertEquals("127.0.0.1", ClientIp.resolve(null, null, "/127.0.0.1:54321"));
        assertEquals("2001:db8::1", ClientIp.resolve("[2001:db8::1]:443", null, null));
        assertEquals("127.0.0.1", ClientIp.resolve("<script>alert(1)</script>", "not an ip", "127.0.0.1"),
                "garbage headers fall through to the peer");
        assertNull(ClientIp.resolve(null, null, null));
    }

    @Test
    void aServerHeaderNameFindsItsIndexInAnyCase() {
        for (int i = 0; i < HttpServerCalls.HEADERS.length; i++) {
            String name = HttpServerCalls.HEADERS[i];
            assertEquals(i, HttpServerCalls.headerIndex(name), name);
            assertEquals(i, HttpServerCalls.headerIndex(name.toUpperCase(java.util.Locale.ROOT)), name);
            assertEquals(i, HttpServerCalls.headerIndex(new StringBuilder(name.toLowerCase(java.util.Locale.ROOT))), name);
        }
        assertEquals(HttpServerCalls.HOST_INDEX, HttpServerCalls.headerIndex("host"));
        assertEquals(-1, HttpServerCalls.headerIndex("X-Trace-Ix"));
        assertEquals(-1, HttpServerCalls.headerIndex("Accept"));
        assertEquals(-1, HttpServerCalls.headerIndex(""));
        assertEquals(-1, HttpServerCalls.headerIndex("X-A-Header-Name-Longer-Than-Any-Of-Them"));
    }

    @Test
    void aRoutesModuleIsMadeOncePerMethodAndPattern() {
        String module = HttpRoutes.module("GET", "/items/{id}");
        assertEquals("GET /items/{id}", module);
        // a served request names its route per request: the same text is not made again
        assertSame(module, HttpRoutes.module("GET", "/items/{id}"));
        assertSame(module, HttpRoutes.module(new String("GET"), new String("/items/{id}")));
        assertEquals("POST /items/{id}", HttpRoutes.module("POST", "/items/{id}"));
        assertEquals("GET /items", HttpRoutes.module("GET", "/items"));
        assertEquals("/items", HttpRoutes.module(null, "/items"));
        assertNull(HttpRoutes.module("GET", "items"), "not a route");
        assertNull(HttpRoutes.module("GET", 42), "not a route");
        assertNull(HttpRoutes.module("GET", ""), "not a route");
    }

    @Test
    void urlsLoseTheirSecrets() {
        assertEquals("http://h/p?id=7&access_token=***&x=1",
                UrlMasker.mask("http://h/p?id=7&access_token=abc&x=1"));
        assertEquals("https://u:***@db.example/x?password=***#frag",
                UrlMasker.mask("https://u:pw@db.example/x?password=hunter2#frag"));
        assertEquals("http://h/keyboard?monkey=1", UrlMasker.mask("http://h/keyboard?monkey=1"));
        assertEquals("http://h/p?api_key=***&sig=***", UrlMasker.mask("http://h/p?api_key=k&sig=s"));
        // user info: the last '@' before the path ends it; an '@' in the path or query is not user info
        assertEquals("http://u:***@h:8080/a", UrlMasker.mask("http://u:p@ss@h:8080/a"));
        assertEquals("http://u:***@h", UrlMasker.mask("http://u:pw@h"));
        assertEquals("http://h:8080/users/@me?to=a@b", UrlMasker.mask("http://h:8080/users/@me?to=a@b"));
        assertEquals("http://127.0.0.1:18091/items/42", UrlMasker.mask("http://127.0.0.1:18091/items/42"));
        assertEquals("http://someone@h/x", UrlMasker.mask("http://someone@h/x"));   // no password: kept
        // the authority ends at a query or fragment too, not only at a path
        assertEquals("http://h:8080?to=a@b", UrlMasker.mask("http://h:8080?to=a@b"));
        assertEquals("http://h:8080#a@b", UrlMasker.mask("http://h:8080#a@b"));
        assertEquals("http://u:***@h:8080?to=a@b", UrlMasker.mask("http://u:pw@h:8080?to=a@b"));
    }

    @Test
    void failuresFallInStableClasses() {
        assertEquals(NetworkErrors.DNS_FAILURE, NetworkErrors.classify(new UnknownHostException("nope.invalid"), true));
        assertEquals(NetworkErrors.CONNECT_REFUSED,
                NetworkErrors.classify(new ConnectException("Connection refused"), true));
        assertEquals(NetworkErrors.CONNECT_TIMEOUT,
                NetworkErrors.classify(new SocketTimeoutException("connect timed out"), true));
        assertEquals(NetworkErrors.READ_TIMEOUT,
                NetworkErrors.classify(new SocketTimeoutException("Read timed out"), false));
        assertEquals(NetworkErrors.CONNECTION_RESET,
                NetworkErrors.classify(new SocketException("Connection reset"), false));
        assertEquals(NetworkErrors.EMPTY_REPLY,
                NetworkErrors.classify(new IOException("unexpected end of stream on http://x/..."), false));
        assertEquals(NetworkErrors.EMPTY_REPLY, NetworkErrors.classify(new EOFException(), false));
        assertEquals(NetworkErrors.TLS_FAILURE,
                NetworkErrors.classify(new IOException(new SSLHandshakeException("bad")), false));
        assertEquals(NetworkErrors.OTHER, NetworkErrors.classify(new IllegalStateException("x"), false));
    }
}
