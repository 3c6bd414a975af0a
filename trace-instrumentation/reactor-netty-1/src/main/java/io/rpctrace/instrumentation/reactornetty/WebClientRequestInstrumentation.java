package io.rpctrace.instrumentation.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.netty.handler.codec.http.HttpHeaders;
import io.rpctrace.context.Propagation;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import reactor.netty.http.client.HttpClientRequest;

/**
 * Spring's {@code ReactorClientHttpRequest.applyHeaders()} (WebClient on Reactor Netty, Spring 6.2
 * and 7.0): when the request is committed, it copies the application's headers onto the Reactor
 * Netty request, after {@code requestWithBody} injected the call's ids, and {@code set} replaces
 * those of the same name. On return the call's ids are set again, so a proxy that passes its
 * caller's {@code X-Trace-Id} and {@code X-Rpc-Id} on sends this call's (docs/propagation.md#headers).
 */
final class WebClientRequestInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.springframework.http.client.reactive.ReactorClientHttpRequest");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("applyHeaders").and(takesArguments(0)),
                WebClientRequestInstrumentation.class.getName() + "$ApplyHeadersAdvice");
    }

    static final class ApplyHeadersAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.FieldValue("request") Object request) {
            String[] pairs = ReactorNettyClientCalls.headersToSetAgain(request);
            if (pairs != null && request instanceof HttpClientRequest) {
                // here, in the application's class: the helper cannot see Reactor Netty's types
                HttpHeaders h = ((HttpClientRequest) request).requestHeaders();
                for (int i = 0; i + 1 < pairs.length; i += 2) {
                    // only those the application's headers replaced: a set is a removal and a new
                    // entry, a get compares the one value there (the common case: untouched)
                    // (an interop header replaced there is the application's tracer's: it stays)
                    if (!pairs[i + 1].equals(h.get(pairs[i])) && !Propagation.isInterop(pairs[i])) {
                        h.set(pairs[i], pairs[i + 1]);
                    }
                }
            }
        }
    }
}
