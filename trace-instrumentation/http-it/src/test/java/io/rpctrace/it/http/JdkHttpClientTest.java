package io.rpctrace.it.http;

import io.rpctrace.testing.http.HttpClientContract;
import io.rpctrace.testing.http.TestClient;
import java.net.http.HttpClient;

/** The JDK {@code HttpClient}, {@code send} (module {@code jdk-http-client}). */
class JdkHttpClientTest extends HttpClientContract {
    static final HttpClient CLIENT = TestClient.newJdkClient();

    @Override
    protected TestClient client() {
        return TestClient.jdkSync(CLIENT);
    }
}
