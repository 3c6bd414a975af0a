package io.rpctrace.instrumentation.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.context.Scope;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import reactor.core.CoreSubscriber;

/**
 * {@code HttpClientConnect.MonoHttpConnect.subscribe(actual)}: a call begins; it makes the call's
 * {@code HttpClientHandler} and asks the pool for a connection. The subscriber's scope (from its
 * context, which the {@code reactor} module fills, else the thread's) is handed to that handler
 * ({@link HttpClientHandlerInstrumentation}), so a call that never gets a connection is still
 * recorded in the right trace.
 */
final class HttpClientConnectInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("reactor.netty.http.client.HttpClientConnect$MonoHttpConnect");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("subscribe").and(takesArguments(1)),
                HttpClientConnectInstrumentation.class.getName() + "$SubscribeAdvice");
    }

    static final class SubscribeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.Argument(0) Object actual) {
            Scope scope = actual instanceof CoreSubscriber ? ((CoreSubscriber<?>) actual).currentContext()
                    .getOrDefault(ReactorNettyClientCalls.CONTEXT_KEY, null) : null;
            return ReactorNettyClientCalls.subscribing(scope);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter boolean subscribing) {
            ReactorNettyClientCalls.subscribed(subscribing);
        }
    }
}
