package io.rpctrace.instrumentation.apachehttpclient4;

import io.rpctrace.Span;
import io.rpctrace.context.Propagation;
import io.rpctrace.instrumentation.http.HttpClientCalls;
import io.rpctrace.instrumentation.http.HttpServerCalls;
import io.rpctrace.internal.CallDepth;
import java.net.URI;
import net.bytebuddy.asm.Advice;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpUriRequest;

/** Around {@code CloseableHttpClient.doExecute(target, request, context)}; the headers go on the request. */
final class DoExecuteAdvice {
    private DoExecuteAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Span enter(@Advice.Argument(0) HttpHost target, @Advice.Argument(1) HttpRequest request) {
        if (CallDepth.of(HttpRequest.class).enter() > 0) {
            return null;
        }
        String uri = request.getRequestLine().getUri();
        String url = request instanceof HttpUriRequest && ((HttpUriRequest) request).getURI().isAbsolute()
                ? ((HttpUriRequest) request).getURI().toString()
                : (target == null ? "" : target.toURI()) + uri;
        Span call = HttpClientCalls.start(request.getRequestLine().getMethod(), url);
        String[] h = HttpClientCalls.headers(call);
        for (int i = 0; i < h.length; i += 2) {
            // an interop header the application's own tracer put on the request stays (docs/propagation.md#interop)
            if (!Propagation.isInterop(h[i]) || !request.containsHeader(h[i])) {
                request.setHeader(h[i], h[i + 1]);
            }
        }
        return call;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter Span call, @Advice.Argument(0) HttpHost target, @Advice.Argument(1) HttpRequest request,
                     @Advice.Return HttpResponse response, @Advice.Thrown Throwable thrown) {
        CallDepth.of(HttpRequest.class).exit();
        if (call == null) {
            return;
        }
        String host;
        int port;
        if (target != null) {
            host = target.getHostName();
            port = HttpClientCalls.port(target.getSchemeName(), target.getPort());
        } else {
            URI u = ((HttpUriRequest) request).getURI();
            host = u.getHost();
            port = HttpClientCalls.port(u.getScheme(), u.getPort());
        }
        if (thrown != null || response == null) {
            HttpClientCalls.fail(call, thrown, false, HttpClientCalls.unresolved(host, port));
        } else {
            Header len = response.getFirstHeader("Content-Length");
            HttpClientCalls.end(call, response.getStatusLine().getStatusCode(),
                    HttpServerCalls.contentLength(len == null ? null : len.getValue()), HttpClientCalls.host(host, port));
        }
    }
}
