package io.rpctrace.instrumentation.jdkhttpclient.advice;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.http.HttpClientCalls;
import io.rpctrace.instrumentation.jdkhttpclient.OwnIdHeaders;
import java.net.http.HttpRequest;
import net.bytebuddy.asm.Advice;

/**
 * Advice of the constructor {@code HttpRequestImpl(HttpRequest, ProxySelector)}: the pending
 * call's headers become system headers of the client's copy, made from a request without the
 * application's own headers of those names when it has any ({@link OwnIdHeaders}).
 */
public final class CopyAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static String[] enter(@Advice.Argument(value = 0, readOnly = false) HttpRequest request) {
        Span call = HttpClientCalls.takePending();
        if (call == null) {
            return null;
        }
        java.util.Map<String, java.util.List<String>> own = request.headers().map();
        String[] h = OwnIdHeaders.withoutApplications(own, HttpClientCalls.headers(call));
        if (OwnIdHeaders.clash(own, h) && !(request instanceof jdk.internal.net.http.HttpRequestImpl)) {
            request = (HttpRequest) OwnIdHeaders.copyWithout(HttpRequest.class, request, h);
        }
        return h;
    }

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This jdk.internal.net.http.HttpRequestImpl self, @Advice.Enter String[] h) {
        if (h != null) {
            for (int i = 0; i < h.length; i += 2) {
                self.setSystemHeader(h[i], h[i + 1]);
            }
        }
    }
}
