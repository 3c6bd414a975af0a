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
 * first ends it, once.
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
                .applyAdvice(named("onInboundClose").and(takesArguments(0)), name + "$CloseAdvice");
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

    static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object ops) {
            ReactorNettyServerCalls.cancelled(ops);
        }
    }
}
