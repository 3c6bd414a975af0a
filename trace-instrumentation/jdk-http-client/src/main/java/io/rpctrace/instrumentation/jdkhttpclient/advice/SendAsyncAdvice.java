package io.rpctrace.instrumentation.jdkhttpclient.advice;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.http.AsyncHttpCall;
import io.rpctrace.instrumentation.http.HttpClientCalls;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.asm.Advice;

/** Advice of {@code HttpClientImpl.sendAsync(request, handler, pushHandler, executor)}. */
public final class SendAsyncAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Span enter(@Advice.Argument(0) HttpRequest request) {
        Span call = HttpClientCalls.start(request.method(), request.uri().toString());
        HttpClientCalls.pending(call);
        return call;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@Advice.Enter Span call, @Advice.Argument(0) HttpRequest request,
                     @Advice.Return CompletableFuture<?> future, @Advice.Thrown Throwable thrown) {
        HttpClientCalls.pending(null);
        if (call == null) {
            return;
        }
        URI uri = request.uri();
        int port = HttpClientCalls.port(uri.getScheme(), uri.getPort());
        if (thrown != null || future == null) {
            HttpClientCalls.fail(call, thrown, true, HttpClientCalls.unresolved(uri.getHost(), port));
        } else {
            future.whenComplete(new AsyncHttpCall(call, uri.getHost(), port));
        }
    }
}
