package io.rpctrace.instrumentation.dubbo;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.context.Scope;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.concurrent.Continuations;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.dubbo.remoting.exchange.Request;
import org.apache.dubbo.rpc.InvokeMode;
import org.apache.dubbo.rpc.RpcInvocation;

/**
 * {@code org.apache.dubbo.remoting.exchange.support.DefaultFuture}: the future of one request
 * of the dubbo protocol, made on the calling thread inside the consumer's call and completed by
 * {@code doReceived} on Dubbo's thread (the answer, a timeout, a closed channel). Completing it
 * runs, on that thread, everything chained on the call's result: the filters' callbacks, the
 * {@code FutureAdapter} the application got (for an interface method returning
 * {@code CompletableFuture}, {@code $invokeAsync}, {@code RpcContext.asyncCall} or
 * {@code getCompletableFuture()}) and the stages the application chained on it
 * ({@code thenApply}, {@code whenComplete}). For an asynchronous invocation the caller's scope
 * is kept for the future when it is made and is current during {@code doReceived}, so those
 * callbacks run in the caller's scope: a continuation, not a hand-off (docs/model.md#rule-4).
 * A synchronous call is completed while its caller waits and keeps nothing.
 */
final class ResponseFutureInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.dubbo.remoting.exchange.support.DefaultFuture");
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = ResponseFutureInstrumentation.class.getName();
        target.applyAdvice(isConstructor().and(takesArguments(3)), name + "$ConstructorAdvice")
                .applyAdvice(named("doReceived").and(takesArguments(1)), name + "$ReceivedAdvice");
    }

    static final class ConstructorAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object future, @Advice.Argument(1) Object request) {
            Object invocation = request instanceof Request ? ((Request) request).getData() : null;
            if (invocation instanceof RpcInvocation && ((RpcInvocation) invocation).getInvokeMode() != InvokeMode.SYNC) {
                DubboCalls.continueInCallersScope(future);
            }
        }
    }

    static final class ReceivedAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Scope enter(@Advice.This Object future) {
            return Continuations.enter(future);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Scope previous) {
            Continuations.exit(previous);
        }
    }
}
