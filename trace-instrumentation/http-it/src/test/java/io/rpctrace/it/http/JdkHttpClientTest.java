package io.rpctrace.it.http;

import java.net.http.HttpClient;

/** The JDK {@code HttpClient}, {@code send} (module {@code jdk-http-client}). */
class JdkHttpClientTest extends HttpClientContract {
    static final HttpClient CLIENT = TestClient.newJdkClient();

    @Override
    TestClient client() {
        return TestClient.jdkSync(CLIENT);
    }
}
