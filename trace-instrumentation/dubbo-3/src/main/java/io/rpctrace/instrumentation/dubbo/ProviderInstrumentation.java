package io.rpctrace.instrumentation.dubbo;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import org.apache.dubbo.rpc.Invocation;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.Result;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code org.apache.dubbo.rpc.proxy.AbstractProxyInvoker.invoke(Invocation)}: the provider's
 * filters have run and its implementation is called (on Dubbo's server thread, for every
 * protocol). The invocation is served in the scope its attachments carry; a business
 * exception comes back as the result's exception, not thrown.
 */
final class ProviderInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.dubbo.rpc.proxy.AbstractProxyInvoker");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("invoke").and(takesArguments(1)), ProviderInstrumentation.class.getName() + "$InvokeAdvice");
    }

    static final class InvokeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.This Object invoker, @Advice.Argument(0) Invocation invocation) {
            Class<?> service = ((Invoker<?>) invoker).getInterface();
            return DubboCalls.serve(invocation.getObjectAttachments(),
                    service == null ? invocation.getServiceName() : service.getName(), invocation.getMethodName());
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span span, @Advice.Return Result result, @Advice.Thrown Throwable thrown) {
            DubboCalls.served(span, thrown != null ? thrown
                    : result != null && result.hasException() ? result.getException() : null);
        }
    }
}
