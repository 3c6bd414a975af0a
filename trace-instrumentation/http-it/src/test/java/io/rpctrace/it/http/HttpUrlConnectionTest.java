package io.rpctrace.it.http;

/** {@code java.net.HttpURLConnection} (module {@code http-url-connection}). */
class HttpUrlConnectionTest extends HttpClientContract {
    @Override
    TestClient client() {
        return TestClient.urlConnection();
    }
}
