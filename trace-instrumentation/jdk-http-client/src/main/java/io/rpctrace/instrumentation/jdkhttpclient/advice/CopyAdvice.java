package io.rpctrace.instrumentation.jdkhttpclient.advice;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.http.HttpClientCalls;
import net.bytebuddy.asm.Advice;

/** Advice of the constructor {@code HttpRequestImpl(HttpRequest, ProxySelector)}. */
public final class CopyAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This jdk.internal.net.http.HttpRequestImpl self) {
        Span call = HttpClientCalls.takePending();
        if (call != null) {
            String[] h = HttpClientCalls.headers(call);
            for (int i = 0; i < h.length; i += 2) {
                self.setSystemHeader(h[i], h[i + 1]);
            }
        }
    }
}
