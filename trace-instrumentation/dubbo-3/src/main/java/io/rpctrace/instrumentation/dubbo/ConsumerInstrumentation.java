package io.rpctrace.instrumentation.dubbo;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.Span;
import io.rpctrace.context.Propagation;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import org.apache.dubbo.common.URL;
import org.apache.dubbo.rpc.AsyncRpcResult;
import org.apache.dubbo.rpc.Invocation;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.Result;
import org.apache.dubbo.rpc.RpcException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code org.apache.dubbo.rpc.protocol.AbstractInvoker.invoke(Invocation)}: one call to one
 * provider (after the cluster chose it, so a failover retry is a call of its own). A
 * synchronous call waits inside it (a timeout is thrown from it); an asynchronous one returns
 * an {@code AsyncRpcResult} whose future completes later, and the record is written then. While
 * the call is made, the request future it creates takes the caller's scope
 * ({@link ResponseFutureInstrumentation}, {@link TripleFutureInstrumentation}).
 */
final class ConsumerInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.dubbo.rpc.protocol.AbstractInvoker");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("invoke").and(takesArguments(1)), ConsumerInstrumentation.class.getName() + "$InvokeAdvice");
    }

    static final class InvokeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.This Object invoker, @Advice.Argument(0) Invocation invocation) {
            Invoker<?> self = (Invoker<?>) invoker;
            URL url = self.getUrl();
            Class<?> service = self.getInterface();
            Span call = DubboCalls.call(DubboCalls.service(service,
                            url == null ? invocation.getServiceName() : url.getServiceInterface()),
                    DubboCalls.method(invocation.getMethodName(), invocation.getArguments()),
                    url == null ? null : url.getAddress());
            String[] ids = DubboCalls.attachments(call);
            // an interop attachment (traceparent, …) that the application's own tracer (Dubbo's
            // observation filter) put on a first attempt stays; a retried invocation carries this
            // agent's earlier x-rpc-id, and gets all of the new call's (docs/propagation.md#interop)
            boolean retried = invocation.getObjectAttachment(DubboCalls.RPC_ID) != null;
            for (int i = 0; i < ids.length && ids[i] != null; i += 2) {
                if (retried || !Propagation.isInterop(ids[i]) || invocation.getObjectAttachment(ids[i]) == null) {
                    invocation.setAttachment(ids[i], ids[i + 1]);
                }
            }
            DubboCalls.calling(call, invocation);
            return call;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span call, @Advice.Return Result result, @Advice.Thrown Throwable thrown) {
            if (call == null) {
                return;
            }
            DubboCalls.calling(null, null);
            if (thrown != null) {
                DubboCalls.end(call, thrown, thrown instanceof RpcException ? ((RpcException) thrown).getCode() : -1);
            } else if (result instanceof AsyncRpcResult && !((AsyncRpcResult) result).getResponseFuture().isDone()) {
                // a dependent stage: the application's own future and its callbacks are untouched
                ((AsyncRpcResult) result).getResponseFuture().whenComplete(DubboCalls.completion(call));
            } else if (result != null && result.hasException()) {
                Throwable t = result.getException();
                DubboCalls.end(call, t, t instanceof RpcException ? ((RpcException) t).getCode() : -1);
            } else {
                DubboCalls.end(call, null, -1);
            }
        }
    }
}
