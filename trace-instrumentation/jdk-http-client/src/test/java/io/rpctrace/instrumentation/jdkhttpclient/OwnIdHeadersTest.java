package io.rpctrace.instrumentation.jdkhttpclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.internal.HelperClasses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A request carrying the application's own id headers is copied without them, and with everything else. */
class OwnIdHeadersTest {
    private static final String[] CALL = {"X-Trace-Id", "t-1", "X-Rpc-Id", "0.1", "X-Debug", "1", "X-Debug-Token", "tok"};
    private static final URI URL = URI.create("http://127.0.0.1:8080/api/stock?id=7");

    @BeforeAll
    static void registerHelpers() {
        new JdkHttpClientModule();   // registers io.rpctrace.jdkhttpclient. as the agent does
    }

    private static HttpRequest copy(HttpRequest request) {
        return (HttpRequest) OwnIdHeaders.copyWithout(HttpRequest.class, request, CALL);
    }

    @Test
    void aClashIsAnyOfTheCallsNamesInAnyCase() {
        assertTrue(OwnIdHeaders.clash(HttpRequest.newBuilder(URL).header("x-rpc-id", "0.9").build().headers().map(), CALL));
        assertTrue(OwnIdHeaders.clash(HttpRequest.newBuilder(URL).header("X-DEBUG-TOKEN", "s").build().headers().map(), CALL));
        assertFalse(OwnIdHeaders.clash(HttpRequest.newBuilder(URL).header("X-Rpc-Idx", "0.9").build().headers().map(), CALL));
        assertFalse(OwnIdHeaders.clash(HttpRequest.newBuilder(URL).build().headers().map(), CALL));
    }

    @Test
    void theCopyKeepsEverythingButTheCallsHeaders() {
        HttpRequest own = HttpRequest.newBuilder(URL).expectContinue(true).timeout(Duration.ofSeconds(7))
                .version(HttpClient.Version.HTTP_1_1)
                .header("X-Trace-Id", "caller").header("x-rpc-id", "0.9").header("X-Debug", "1")
                .header("Accept", "a").header("Accept", "b").header("X-Custom", "c")
                .POST(HttpRequest.BodyPublishers.ofString("{\"n\":1}")).build();
        HttpRequest copy = copy(own);
        assertNotSame(own, copy);
        assertEquals(URL, copy.uri());
        assertEquals("POST", copy.method());
        assertEquals(7, copy.bodyPublisher().get().contentLength());
        assertEquals(Duration.ofSeconds(7), copy.timeout().get());
        assertEquals(HttpClient.Version.HTTP_1_1, copy.version().get());
        assertTrue(copy.expectContinue());
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(copy.headers().map());
        assertEquals(2, headers.size(), headers.toString());
        assertEquals(Arrays.asList("a", "b"), headers.get("Accept"));
        assertEquals(Arrays.asList("c"), headers.get("X-Custom"));
        assertEquals("caller", own.headers().firstValue("X-Trace-Id").get(), "the application's request is left as it is");
    }

    @Test
    void aRequestWithoutABodyKeepsItsMethod() {
        HttpRequest get = copy(HttpRequest.newBuilder(URL).header("X-Rpc-Id", "0.9").build());
        assertEquals("GET", get.method());
        assertFalse(get.timeout().isPresent());
        assertFalse(get.version().isPresent());
        assertEquals("DELETE", copy(HttpRequest.newBuilder(URL).header("X-Rpc-Id", "0.9").DELETE().build()).method());
        HttpRequest put = copy(HttpRequest.newBuilder(URL).header("X-Rpc-Id", "0.9")
                .method("PUT", HttpRequest.BodyPublishers.noBody()).build());
        assertEquals("PUT", put.method());
        assertEquals(0, put.bodyPublisher().get().contentLength());
    }

    @Test
    void theCopyIsMadeByAHelperDefinedNextToJavaNetHttp() {
        Object copier = HelperClasses.instance(HttpRequest.class, OwnIdHeaders.COPIER);
        ClassLoader loader = copier.getClass().getClassLoader();
        assertNotSame(OwnIdHeadersTest.class.getClassLoader(), loader, "not the class path's copy");
        assertSame(HttpRequest.class.getClassLoader(), loader.getParent());
    }
}
