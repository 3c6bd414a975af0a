package io.rpctrace.instrumentation.dubbo;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import org.apache.dubbo.rpc.Invocation;
import org.apache.dubbo.rpc.Invoker;
import org.apache.dubbo.rpc.RpcException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code org.apache.dubbo.rpc.cluster.support.AbstractClusterInvoker.invoke(Invocation)}: the
 * consumer's cluster, which chooses a provider. A call that fails here before any provider's
 * invoker ran ("No provider available", every provider filtered out) reached no
 * {@link ConsumerInstrumentation}, so its {@code dubbo.request.error} is written here.
 */
final class ClusterInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.dubbo.rpc.cluster.support.AbstractClusterInvoker");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("invoke").and(takesArguments(1)), ClusterInstrumentation.class.getName() + "$InvokeAdvice");
    }

    static final class InvokeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return DubboCalls.clusterEnters();   // -1 in a cluster inside a cluster (zone-aware, merging): the outer one decides
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter long calls, @Advice.This Object invoker, @Advice.Argument(0) Invocation invocation,
                         @Advice.Thrown Throwable thrown) {
            if (!DubboCalls.clusterExits(calls) || !(thrown instanceof RpcException)) {
                return;
            }
            Invoker<?> self = (Invoker<?>) invoker;
            DubboCalls.unreached(DubboCalls.service(self.getInterface(),
                            self.getUrl() == null ? invocation.getServiceName() : self.getUrl().getServiceInterface()),
                    DubboCalls.method(invocation.getMethodName(), invocation.getArguments()), thrown,
                    ((RpcException) thrown).getCode());
        }
    }
}
