package io.rpctrace.instrumentation.apachehttpclient5;

import io.rpctrace.Span;
import io.rpctrace.context.Propagation;
import io.rpctrace.instrumentation.http.AsyncClientCalls;
import io.rpctrace.instrumentation.http.HttpClientCalls;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.net.URIAuthority;

/**
 * {@code AsyncExecChainElement.execute(request, ...)}: the first step of the async request
 * pipeline, on the caller's thread inside {@code doExecute}, where the request is known. Starts
 * the expected call and puts its headers on the request; retries and redirects (later steps of
 * the same call) find nothing expected.
 */
final class AsyncChainAdvice {
    private AsyncChainAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(0) HttpRequest request) {
        URIAuthority authority = request.getAuthority();
        String url;
        try {
            url = request.getUri().toString();
        } catch (java.net.URISyntaxException e) {
            url = request.getRequestUri();
        }
        Span call = AsyncClientCalls.start(request.getMethod(), url,
                authority == null ? null : authority.getHostName(),
                authority == null ? -1 : HttpClientCalls.port(request.getScheme(), authority.getPort()));
        if (call != null) {
            String[] h = HttpClientCalls.headers(call);
            for (int i = 0; i < h.length; i += 2) {
                // an interop header the application's own tracer put on the request stays (docs/propagation.md#interop)
                if (!Propagation.isInterop(h[i]) || !request.containsHeader(h[i])) {
                    request.setHeader(h[i], h[i + 1]);
                }
            }
        }
    }
}
