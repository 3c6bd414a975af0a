package io.rpctrace.testing.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/** One HTTP client library, as {@link HttpClientContract} drives it. */
public interface TestClient {
    /** What came back. */
    record Response(int status, String traceIdHeader, String body) { }

    /** A request; {@code body} null for GET. Network failures are thrown as they come. */
    Response send(String method, String url, Map<String, String> headers, String body, int timeoutMs) throws Exception;

    /** A GET with a 5 s timeout. */
    default Response get(String url) throws Exception {
        return send("GET", url, Map.of(), null, 5000);
    }

    /** {@code java.net.HttpURLConnection}. */
    static TestClient urlConnection() {
        return (method, url, headers, body, timeoutMs) -> {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setConnectTimeout(timeoutMs);
            c.setReadTimeout(timeoutMs);
            c.setRequestMethod(method);
            headers.forEach(c::setRequestProperty);
            if (body != null) {
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = in == null ? "" : new String(readAll(in), StandardCharsets.UTF_8);
            return new Response(status, c.getHeaderField("X-Trace-Id"), text);
        };
    }

    /**
     * The body of a GET of {@code url} with {@code HttpURLConnection}: a hop the agent records
     * and propagates, for a test that needs one HTTP call inside another protocol's scenario.
     */
    static String fetch(String url) {
        try {
            return urlConnection().get(url).body();
        } catch (Exception e) {
            throw new IllegalStateException("GET " + url, e);
        }
    }

    /** The JDK {@code HttpClient}, {@code send}. */
    static TestClient jdkSync(HttpClient client) {
        return (method, url, headers, body, timeoutMs) -> {
            HttpResponse<String> r = client.send(request(method, url, headers, body, timeoutMs),
                    HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.headers().firstValue("X-Trace-Id").orElse(null), r.body());
        };
    }

    /** The JDK {@code HttpClient}, {@code sendAsync(...).get()}: failures unwrapped as {@code send} does. */
    static TestClient jdkAsync(HttpClient client) {
        return (method, url, headers, body, timeoutMs) -> {
            try {
                HttpResponse<String> r = client.sendAsync(request(method, url, headers, body, timeoutMs),
                        HttpResponse.BodyHandlers.ofString()).get();
                return new Response(r.statusCode(), r.headers().firstValue("X-Trace-Id").orElse(null), r.body());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
        };
    }

    /** A JDK {@code HttpClient} on HTTP/1.1 with a 5 s connect timeout. */
    static HttpClient newJdkClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static HttpRequest request(String method, String url, Map<String, String> headers, String body, int timeoutMs) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(timeoutMs))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return b.build();
    }

    /** Reads {@code in} to its end and closes it. */
    static byte[] readAll(InputStream in) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        }
    }
}
