package io.rpctrace.instrumentation.dubbo;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.dubbo.rpc.InvokeMode;
import org.apache.dubbo.rpc.RpcInvocation;

/**
 * {@code org.apache.dubbo.rpc.protocol.tri.DeadlineFuture}: the Triple protocol's future of one
 * unary call, made on the calling thread inside the consumer's call ({@code TripleInvoker}'s
 * {@code invokeUnary}, before the request is sent) and completed by its private
 * {@code doReceived(TriRpcStatus, AppResponse)} (the answer, on the consumer's callback
 * executor; the deadline, from Dubbo's timer; a cancel). It is the response future of the
 * call's {@code AsyncRpcResult}: completing it runs, on that thread, the filters' callbacks,
 * the future the application got and what it chained on it. As for the dubbo protocol's
 * {@code DefaultFuture} ({@link ResponseFutureInstrumentation}), the future of an asynchronous
 * invocation keeps the call's scope and {@code doReceived} runs in it (docs/model.md#rule-4:
 * a continuation, not a hand-off). The constructor cannot reach the invocation, so it reads
 * the one the consumer's advice left for this thread ({@code DubboCalls.invocation()}); its
 * invoke mode is set by then ({@code AbstractInvoker.invoke} prepares the invocation before
 * {@code doInvoke}). Same shape from 3.0 to 3.3.
 */
final class TripleFutureInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.dubbo.rpc.protocol.tri.DeadlineFuture");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(isConstructor(), TripleFutureInstrumentation.class.getName() + "$ConstructorAdvice")
                // the same advice as the dubbo protocol's: the kept scope is current while it completes
                .applyAdvice(named("doReceived").and(takesArguments(2)),
                        ResponseFutureInstrumentation.class.getName() + "$ReceivedAdvice");
    }

    static final class ConstructorAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object future) {
            Object invocation = DubboCalls.invocation();
            if (invocation instanceof RpcInvocation && ((RpcInvocation) invocation).getInvokeMode() != InvokeMode.SYNC) {
                DubboCalls.continueInCallersScope(future);
            }
        }
    }
}
