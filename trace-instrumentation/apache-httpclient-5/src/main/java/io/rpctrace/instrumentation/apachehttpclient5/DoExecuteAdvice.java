package io.rpctrace.instrumentation.apachehttpclient5;

import io.rpctrace.Span;
import io.rpctrace.context.Propagation;
import io.rpctrace.instrumentation.http.HttpClientCalls;
import io.rpctrace.instrumentation.http.HttpServerCalls;
import io.rpctrace.internal.CallDepth;
import java.net.URI;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpResponse;

/** Around {@code CloseableHttpClient.doExecute(target, request, context)}; the headers go on the request. */
final class DoExecuteAdvice {
    private DoExecuteAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Span enter(@Advice.Argument(1) ClassicHttpRequest request) {
        if (CallDepth.of(ClassicHttpRequest.class).enter() > 0) {
            return null;
        }
        String url;
        try {
            url = request.getUri().toString();
        } catch (java.net.URISyntaxException e) {
            url = request.getRequestUri();
        }
        Span call = HttpClientCalls.start(request.getMethod(), url);
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
    static void exit(@Advice.Enter Span call, @Advice.Argument(0) HttpHost target,
                     @Advice.Argument(1) ClassicHttpRequest request, @Advice.Return HttpResponse response,
                     @Advice.Thrown Throwable thrown) throws Exception {
        CallDepth.of(ClassicHttpRequest.class).exit();
        if (call == null) {
            return;
        }
        String host;
        int port;
        if (target != null) {
            host = target.getHostName();
            port = HttpClientCalls.port(target.getSchemeName(), target.getPort());
        } else {
            URI u = request.getUri();
            host = u.getHost();
            port = HttpClientCalls.port(u.getScheme(), u.getPort());
        }
        if (thrown != null || response == null) {
            HttpClientCalls.fail(call, thrown, false, HttpClientCalls.unresolved(host, port));
        } else {
            Header len = response.getFirstHeader("Content-Length");
            HttpClientCalls.end(call, response.getCode(), HttpServerCalls.contentLength(len == null ? null : len.getValue()),
                    HttpClientCalls.host(host, port));
        }
    }
}
