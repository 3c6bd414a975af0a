package io.rpctrace.instrumentation.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code HttpClientOperations}, one per request: the response head gives the status, its last
 * content ends the call; an outbound error (an inbound one: {@link ChannelOperationsInstrumentation}),
 * the connection closing first or the subscriber
 * cancelling end it failed. Whichever comes first ends it, once.
 */
final class HttpClientOperationsInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("reactor.netty.http.client.HttpClientOperations");
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = HttpClientOperationsInstrumentation.class.getName();
        target.applyAdvice(named("onInboundNext").and(takesArguments(2)), name + "$InboundAdvice")
                .applyAdvice(named("onOutboundError").and(takesArguments(1)), name + "$ErrorAdvice")
                .applyAdvice(named("onInboundClose").and(takesArguments(0)), name + "$CloseAdvice")
                .applyAdvice(named("onInboundCancel").and(takesArguments(0)), name + "$CancelAdvice");
    }

    static final class InboundAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object ops, @Advice.Argument(1) Object msg) {
            if (msg instanceof HttpResponse) {
                HttpResponse response = (HttpResponse) msg;
                ReactorNettyClientCalls.head(ops, response.status().code(),
                        response.headers().get("Content-Length"));
            }
            if (msg instanceof LastHttpContent) {
                ReactorNettyClientCalls.completed(ops);
            }
        }
    }

    static final class ErrorAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object ops, @Advice.Argument(0) Throwable thrown) {
            ReactorNettyClientCalls.failed(ops, thrown);
        }
    }

    static final class CloseAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object ops) {
            ReactorNettyClientCalls.failed(ops, null);
        }
    }

    static final class CancelAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object ops) {
            ReactorNettyClientCalls.cancelled(ops);
        }
    }
}
