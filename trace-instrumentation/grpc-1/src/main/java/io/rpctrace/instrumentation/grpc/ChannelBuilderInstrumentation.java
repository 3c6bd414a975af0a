package io.rpctrace.instrumentation.grpc;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannelBuilder;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.CallDepth;
import io.rpctrace.internal.FirstTime;
import io.rpctrace.internal.HelperClasses;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code build()} of every {@code ManagedChannelBuilder} (Netty, OkHttp, in-process and the
 * forwarding builders that wrap {@code ManagedChannelImplBuilder}): the outermost
 * {@code build()} adds the client interceptor, once per builder.
 */
final class ChannelBuilderInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        // The hierarchy first (class-file headers only; ManagedChannelBuilder is a class, so a supertype
        // is a superclass); only a builder is parsed for its methods.
        return SuperTypes.named("io.grpc.ManagedChannelBuilder")
                .and(declaresMethod(named("build").and(takesArguments(0)).and(not(isAbstract()))));
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("build").and(takesArguments(0)).and(not(isAbstract())),
                ChannelBuilderInstrumentation.class.getName() + "$BuildAdvice");
    }

    static final class BuildAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This ManagedChannelBuilder<?> builder) {
            // a forwarding builder's build() calls its delegate's: only the outermost adds
            if (CallDepth.of(ManagedChannelBuilder.class).enter() == 0 && FirstTime.first(builder)) {
                builder.intercept((ClientInterceptor) HelperClasses.instance(ManagedChannelBuilder.class,
                        "io.rpctrace.grpc.TracingClientInterceptor"));
            }
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            CallDepth.of(ManagedChannelBuilder.class).exit();
        }
    }
}
