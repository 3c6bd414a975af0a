package io.rpctrace.it.http;

import io.rpctrace.testing.http.HttpClientContract;
import io.rpctrace.testing.http.TestClient;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.client.methods.RequestBuilder;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/** Apache HttpClient 4.5 (module {@code apache-httpclient-4}). */
class ApacheHttpClient4Test extends HttpClientContract {
    static final CloseableHttpClient CLIENT = HttpClients.createDefault();

    @Override
    protected TestClient client() {
        return (method, url, headers, body, timeoutMs) -> {
            RequestBuilder b = RequestBuilder.create(method).setUri(url)
                    .setConfig(RequestConfig.custom().setConnectTimeout(timeoutMs).setSocketTimeout(timeoutMs).build());
            headers.forEach(b::setHeader);
            if (body != null) {
                b.setEntity(new StringEntity(body));
            }
            HttpUriRequest request = b.build();
            try (CloseableHttpResponse r = CLIENT.execute(request)) {
                String text = r.getEntity() == null ? "" : EntityUtils.toString(r.getEntity());
                return new TestClient.Response(r.getStatusLine().getStatusCode(),
                        r.getFirstHeader("X-Trace-Id") == null ? null : r.getFirstHeader("X-Trace-Id").getValue(), text);
            }
        };
    }
}
