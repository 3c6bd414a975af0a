package io.rpctrace.instrumentation.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.http.HttpServerCalls;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import reactor.netty.http.server.HttpServerResponse;

/**
 * {@code HttpServerOperations}, one per request: {@code onOutboundComplete} (the handler's publisher
 * completed; the status is final) and {@code onOutboundError} end the request's span;
 * {@code onInboundClose} before either means the client went away (cancelled). Whichever comes
 * first ends it, once. {@code beforeMarkSentHeaders}, just before the response head goes out,
 * leaves one {@code X-Trace-Id} there, the request's: a Spring Cloud Gateway route copies the
 * upstream's response headers, its {@code X-Trace-Id} among them, onto a response that already
 * carries the gateway's (set when the request arrived, so the application sees it too).
 */
final class HttpServerOperationsInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("reactor.netty.http.server.HttpServerOperations");
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = HttpServerOperationsInstrumentation.class.getName();
        target.applyAdvice(named("onOutboundComplete").and(takesArguments(0)), name + "$CompleteAdvice")
                .applyAdvice(named("onOutboundError").and(takesArguments(1)), name + "$ErrorAdvice")
                .applyAdvice(named("onInboundClose").and(takesArguments(0)), name + "$CloseAdvice")
                .applyAdvice(named("beforeMarkSentHeaders").and(takesArguments(0)), name + "$HeadAdvice");
    }

    static final class CompleteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object ops) {
            Object ending = ReactorNettyServerCalls.ending(ops);
            if (ending != null) {
                HttpServerResponse response = (HttpServerResponse) ops;
                ReactorNettyServerCalls.completedServed(ending, response.status().code(),
                        HttpServerCalls.contentLength(response.responseHeaders().get("Content-Length")), null);
            }
        }
    }

    static final class ErrorAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object ops, @Advice.Argument(0) Throwable thrown) {
            Object ending = ReactorNettyServerCalls.ending(ops);
            if (ending != null) {
                HttpServerResponse response = (HttpServerResponse) ops;
                ReactorNettyServerCalls.completedServed(ending, response.status().code(), -1, thrown);
            }
        }
    }

    static final class HeadAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object ops) {
            String traceId = ReactorNettyServerCalls.servingTraceId(ops);
            if (traceId != null) {
                // set, not add: whatever the handler added under that name is replaced
                ((HttpServerResponse) ops).responseHeaders().set(HttpServerCalls.RESPONSE_HEADER, traceId);
            }
        }
    }

    static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object ops) {
            ReactorNettyServerCalls.cancelled(ops);
        }
    }
}
