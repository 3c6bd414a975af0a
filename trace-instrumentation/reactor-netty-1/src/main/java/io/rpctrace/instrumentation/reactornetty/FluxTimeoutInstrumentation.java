package io.rpctrace.instrumentation.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import reactor.core.Scannable;

/**
 * reactor-core's {@code FluxTimeout.TimeoutMainSubscriber.handleTimeout()} (3.0 to 3.8): a
 * {@code timeout()} fired; with a fallback it cancels the upstream (a client call in flight), then
 * subscribes the fallback, on the timer's thread. When the fallback is a Spring Cloud Gateway
 * route's response-timeout error ({@link RouteTimeouts}), the calls disposed meanwhile
 * ({@link ChannelOperationsInstrumentation}) are marked, and their cancel is recorded as
 * {@code READ_TIMEOUT} ({@link ReactorNettyClientCalls#cancelled}). Every other timeout is left alone.
 */
final class FluxTimeoutInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("reactor.core.publisher.FluxTimeout$TimeoutMainSubscriber");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("handleTimeout").and(takesArguments(0)),
                FluxTimeoutInstrumentation.class.getName() + "$TimeoutAdvice");
    }

    static final class TimeoutAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static boolean enter(@Advice.FieldValue("other") Object other) {
            // The assembly hook of the reactor module may have put lift publishers in front of the
            // fallback: the deferred source is behind them.
            Object source = other;
            for (int i = 0; i < 4 && source instanceof Scannable; i++) {
                Object parent = ((Scannable) source).scanUnsafe(Scannable.Attr.PARENT);
                if (parent == null) {
                    break;
                }
                source = parent;
            }
            return ReactorNettyClientCalls.timeoutFiring(source);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter boolean firing) {
            ReactorNettyClientCalls.timeoutFired(firing);
        }
    }
}
