package io.rpctrace.instrumentation.rocketmq;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.context.Scope;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.internal.concurrent.Continuations;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The task an asynchronous {@code DefaultMQProducerImpl.send} hands to the producer's executor
 * (an anonymous {@code Runnable} of that class, in 4.9 and 5.x): it sends the message, or, when
 * the send's time ran out while it waited, only tells the callback so. It is the caller's send
 * continued, not a hand-off (docs/model.md#rule-4): it runs in the caller's scope
 * ({@code Continuations}), and its send continues the call the caller started
 * ({@link ProduceCall#startAsync}). Only a task made while an asynchronous send starts is bound.
 */
final class AsyncSendTaskInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return nameStartsWith("org.apache.rocketmq.client.impl.producer.DefaultMQProducerImpl$")
                .and(hasSuperType(named("java.lang.Runnable")));
    }

    @Override
    public void transform(AdviceTarget target) {
        String self = AsyncSendTaskInstrumentation.class.getName();
        target.applyAdvice(isConstructor(), self + "$ConstructorAdvice")
                .applyAdvice(named("run").and(takesArguments(0)), self + "$RunAdvice");
    }

    static final class ConstructorAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object task) {
            if (ProduceCall.bindTask(task)) {
                Continuations.capture(task);
            }
        }
    }

    static final class RunAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Scope enter(@Advice.This Object task, @Advice.Local("call") ProduceCall call) {
            call = ProduceCall.taskRuns(task);
            return call == null ? null : Continuations.enter(task);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Scope previous, @Advice.Local("call") ProduceCall call,
                         @Advice.Thrown Throwable thrown) {
            if (call != null) {
                call.taskEnded(thrown);
                Continuations.exit(previous);
            }
        }
    }
}
