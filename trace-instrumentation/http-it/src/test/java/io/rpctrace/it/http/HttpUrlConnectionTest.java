package io.rpctrace.it.http;

import io.rpctrace.testing.http.HttpClientContract;
import io.rpctrace.testing.http.TestClient;

/** {@code java.net.HttpURLConnection} (module {@code http-url-connection}). */
class HttpUrlConnectionTest extends HttpClientContract {
    @Override
    protected TestClient client() {
        return TestClient.urlConnection();
    }
}
