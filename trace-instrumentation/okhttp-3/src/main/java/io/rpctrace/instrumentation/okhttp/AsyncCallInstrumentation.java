package io.rpctrace.instrumentation.okhttp;

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

/**
 * An {@code enqueue}d call ({@code RealCall.AsyncCall}) runs on the dispatcher's pool in the
 * scope of the code that enqueued it, not in a child scope: it is that code's call, continued on
 * another thread, so its {@code http.*} record is numbered like a synchronous call's
 * (docs/model.md#rule-4). The body is {@code execute()} in OkHttp 3.x (called by
 * {@code NamedRunnable.run}) and {@code run()} in 4.x.
 */
final class AsyncCallInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("okhttp3.RealCall$AsyncCall")                              // 3.x
                .or(named("okhttp3.internal.connection.RealCall$AsyncCall")); // 4.x
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(isConstructor(), AsyncCallInstrumentation.class.getName() + "$ConstructorAdvice");
        target.applyAdvice(named("run").or(named("execute")).and(takesArguments(0)),
                AsyncCallInstrumentation.class.getName() + "$RunAdvice");
    }

    static final class ConstructorAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object call) {
            Continuations.capture(call);
        }
    }

    static final class RunAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Scope enter(@Advice.This Object call) {
            return Continuations.enter(call);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Scope previous) {
            Continuations.exit(previous);
        }
    }
}
