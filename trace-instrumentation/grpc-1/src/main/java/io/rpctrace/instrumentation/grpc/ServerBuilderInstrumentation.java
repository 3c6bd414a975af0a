package io.rpctrace.instrumentation.grpc;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.grpc.ServerBuilder;
import io.grpc.ServerInterceptor;
import io.grpc.ServerStreamTracer;
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
 * {@code build()} of every {@code ServerBuilder} (Netty, in-process and the forwarding
 * builders that wrap {@code ServerImplBuilder}): the outermost
 * {@code build()} adds the server interceptor, once per builder.
 */
final class ServerBuilderInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        // The hierarchy first (class-file headers only; ServerBuilder is a class, so a supertype
        // is a superclass); only a builder is parsed for its methods.
        return SuperTypes.named("io.grpc.ServerBuilder")
                .and(declaresMethod(named("build").and(takesArguments(0)).and(not(isAbstract()))));
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("build").and(takesArguments(0)).and(not(isAbstract())),
                ServerBuilderInstrumentation.class.getName() + "$BuildAdvice");
    }

    static final class BuildAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This ServerBuilder<?> builder) {
            // a forwarding builder's build() calls its delegate's: only the outermost adds
            if (CallDepth.of(ServerBuilder.class).enter() == 0 && FirstTime.first(builder)) {
                Object interceptor = HelperClasses.instance(ServerBuilder.class, "io.rpctrace.grpc.TracingServerInterceptor");
                builder.intercept((ServerInterceptor) interceptor);
                // an in-process server's calls have no peer IP, so no metric.ip window for the bytes
                // to go to: no stream tracer, whose per-call Context and tracer array cost ~200 B
                if (!builder.getClass().getName().equals("io.grpc.inprocess.InProcessServerBuilder")) {
                    try { // metric.ip bytes; a builder that cannot take stream tracers still gets the interceptor
                        builder.addStreamTracerFactory((ServerStreamTracer.Factory) interceptor.getClass()
                                .getMethod("wireSizes").invoke(null));
                    } catch (Exception | LinkageError e) {
                        // UnsupportedOperationException (ServerBuilder's default): records without bytes
                    }
                }
            }
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            CallDepth.of(ServerBuilder.class).exit();
        }
    }
}
