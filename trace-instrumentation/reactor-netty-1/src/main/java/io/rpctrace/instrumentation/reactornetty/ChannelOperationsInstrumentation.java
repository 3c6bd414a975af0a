package io.rpctrace.instrumentation.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code ChannelOperations.onInboundError(error)} (final, declared only there): the connection saw an
 * error while reading, before it closes (a reset by the peer; Netty's {@code ReadTimeoutException}
 * from the client's {@code responseTimeout}). For a client call in flight that error ends it, so
 * its class is the error's, not the "closed before a response" of the close that follows.
 * {@code ChannelOperations.dispose()}: a cancel reached the operations; inside a gateway route's
 * response timeout ({@link FluxTimeoutInstrumentation}) that marks the call as timed out.
 */
final class ChannelOperationsInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("reactor.netty.channel.ChannelOperations");
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = ChannelOperationsInstrumentation.class.getName();
        target.applyAdvice(named("onInboundError").and(takesArguments(1)), name + "$InboundErrorAdvice")
                .applyAdvice(named("dispose").and(takesArguments(0)), name + "$DisposeAdvice");
    }

    static final class InboundErrorAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object ops, @Advice.Argument(0) Throwable thrown) {
            ReactorNettyClientCalls.failed(ops, thrown);
        }
    }

    static final class DisposeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object ops) {
            ReactorNettyClientCalls.disposing(ops);
        }
    }
}
