package io.rpctrace.instrumentation.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.Span;
import io.rpctrace.context.Propagation;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.http.HttpClientCalls;
import io.rpctrace.instrumentation.http.HttpServerCalls;
import io.rpctrace.internal.CallDepth;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * {@code RealInterceptorChain.proceed(Request)}: its outermost call on a thread is the whole Call
 * (application interceptors, retries, redirects, the network). The request is replaced there by a
 * copy with the headers of docs/propagation.md#headers, so every interceptor and the network see
 * them.
 */
final class InterceptorChainInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("okhttp3.internal.http.RealInterceptorChain");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("proceed").and(takesArguments(1)),
                InterceptorChainInstrumentation.class.getName() + "$ProceedAdvice");
    }

    static final class ProceedAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.Argument(value = 0, readOnly = false) Request request) {
            if (CallDepth.of(Request.class).enter() > 0) {
                return null;
            }
            Span call = HttpClientCalls.start(request.method(), request.url().toString());
            String[] h = HttpClientCalls.headers(call);
            Request.Builder b = request.newBuilder();
            for (int i = 0; i < h.length; i += 2) {
                // an interop header the application's own tracer put on the request stays (docs/propagation.md#interop)
                if (!Propagation.isInterop(h[i]) || request.header(h[i]) == null) {
                    b.header(h[i], h[i + 1]);
                }
            }
            request = b.build();
            return call;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span call, @Advice.This Object chain, @Advice.Argument(0) Request request,
                         @Advice.Return Response response, @Advice.Thrown Throwable thrown) {
            CallDepth.of(Request.class).exit();
            if (call == null) {
                return;
            }
            HttpUrl url = request.url();
            HttpClientCalls.phasesInto(((Interceptor.Chain) chain).call(), call);
            if (thrown != null || response == null) {
                HttpClientCalls.fail(call, thrown, false, HttpClientCalls.unresolved(url.host(), url.port()));
            } else {
                HttpClientCalls.end(call, response.code(), HttpServerCalls.contentLength(response.header("Content-Length")),
                        HttpClientCalls.host(url.host(), url.port()));
            }
        }
    }
}
