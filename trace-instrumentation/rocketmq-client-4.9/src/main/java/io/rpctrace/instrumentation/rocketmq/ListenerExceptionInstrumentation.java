package io.rpctrace.instrumentation.rocketmq;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The exception a push consumer's listener threw. The consume requests catch it themselves and
 * answer {@code RECONSUME_LATER} (concurrently) or {@code SUSPEND_CURRENT_QUEUE_A_MOMENT}
 * (orderly) in its place, so neither their {@code run} nor {@code processConsumeResult} sees it;
 * the first thing their catch block does is describe it for the library's log, with
 * {@code RemotingHelper.exceptionSimpleDesc} (4.x) or {@code UtilAll.exceptionSimpleDesc} (5.x):
 * that call hands it to the open batch ({@link ConsumeScopes#listenerThrew}), whose records then
 * carry it as {@code x_msg} and {@code x_backtrace}.
 *
 * <p>Design note: the listener itself is not instrumented (it is often a lambda, see
 * {@link RocketMqModule}), and wrapping it would need a class implementing a RocketMQ interface
 * defined in the application's class loader. The describing call is made on errors only, and
 * only a call from a consume request's {@code run} counts (ConsumeScopes checks the caller).
 */
final class ListenerExceptionInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.rocketmq.remoting.common.RemotingHelper")
                .or(named("org.apache.rocketmq.common.UtilAll"));
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("exceptionSimpleDesc").and(takesArguments(1))
                        .and(takesArgument(0, named("java.lang.Throwable"))),
                ListenerExceptionInstrumentation.class.getName() + "$DescribeAdvice");
    }

    static final class DescribeAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Throwable thrown) {
            ConsumeScopes.listenerThrew(thrown);
        }
    }
}
