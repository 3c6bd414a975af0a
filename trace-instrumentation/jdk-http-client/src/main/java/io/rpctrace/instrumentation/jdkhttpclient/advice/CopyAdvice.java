package io.rpctrace.instrumentation.jdkhttpclient.advice;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.http.HttpClientCalls;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;
import net.bytebuddy.asm.Advice;

/**
 * Advice of the constructor {@code HttpRequestImpl(HttpRequest, ProxySelector)}. The client
 * sends an application header in place of a system header of the same name, so when the
 * application's request already carries one of the headers to write (a proxy such as Spring
 * Cloud Gateway Server MVC passes its caller's {@code X-Rpc-Id} on), the copy is made from a
 * request without them: the server receives this call's ids only (docs/propagation.md#headers,
 * rule 2). The application's own request is left as it is.
 */
public final class CopyAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static String[] enter(@Advice.Argument(value = 0, readOnly = false) HttpRequest request) {
        Span call = HttpClientCalls.takePending();
        if (call == null) {
            return null;
        }
        String[] h = HttpClientCalls.headers(call);
        Map<String, List<String>> own = request.headers().map();
        boolean clash = false;
        for (int i = 0; i < h.length && !clash; i += 2) {
            clash = own.containsKey(h[i]);       // the map's keys ignore case (HttpHeaders)
        }
        if (clash && !(request instanceof jdk.internal.net.http.HttpRequestImpl)) {
            // HttpRequest.newBuilder(request, filter) of JDK 16, on JDK 11
            HttpRequest.Builder b = HttpRequest.newBuilder(request.uri()).expectContinue(request.expectContinue());
            if (request.timeout().isPresent()) {
                b.timeout(request.timeout().get());
            }
            if (request.version().isPresent()) {
                b.version(request.version().get());
            }
            for (Map.Entry<String, List<String>> e : own.entrySet()) {
                boolean ours = false;
                for (int i = 0; i < h.length && !ours; i += 2) {
                    ours = h[i].equalsIgnoreCase(e.getKey());
                }
                if (!ours) {
                    for (String v : e.getValue()) {
                        b.header(e.getKey(), v);
                    }
                }
            }
            String method = request.method();
            if (request.bodyPublisher().isPresent()) {
                b.method(method, request.bodyPublisher().get());
            } else if ("GET".equals(method)) {
                b.GET();
            } else if ("DELETE".equals(method)) {
                b.DELETE();
            } else {
                b.method(method, HttpRequest.BodyPublishers.noBody());
            }
            request = b.build();
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
