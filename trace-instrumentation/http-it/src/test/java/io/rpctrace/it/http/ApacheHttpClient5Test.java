package io.rpctrace.it.http;

import io.rpctrace.testing.http.HttpClientContract;
import io.rpctrace.testing.http.TestClient;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/** Apache HttpClient 5 classic (module {@code apache-httpclient-5}). */
class ApacheHttpClient5Test extends HttpClientContract {
    @Override
    protected TestClient client() {
        return (method, url, headers, body, timeoutMs) -> {
            Timeout t = Timeout.of(timeoutMs, TimeUnit.MILLISECONDS);
            try (CloseableHttpClient client = HttpClients.custom()
                    .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                            .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(t).setSocketTimeout(t).build())
                            .build())
                    .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(t).build())
                    .build()) {
                HttpUriRequestBase request = new HttpUriRequestBase(method, java.net.URI.create(url));
                headers.forEach(request::setHeader);
                if (body != null) {
                    request.setEntity(new StringEntity(body, ContentType.TEXT_PLAIN));
                }
                return client.execute(request, r -> new TestClient.Response(r.getCode(),
                        r.getFirstHeader("X-Trace-Id") == null ? null : r.getFirstHeader("X-Trace-Id").getValue(),
                        r.getEntity() == null ? "" : EntityUtils.toString(r.getEntity())));
            }
        };
    }
}
