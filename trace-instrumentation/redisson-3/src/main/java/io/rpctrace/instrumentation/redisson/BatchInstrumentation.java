package io.rpctrace.instrumentation.redisson;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Map;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;
import org.redisson.client.RedisConnection;
import org.redisson.command.CommandBatchService;

/**
 * {@code org.redisson.command.CommandBatchService.executeAsync()} (what {@code RBatch.execute()}
 * and its async, reactive and RxJava forms run): one {@code redis.request} for the batch, on the
 * caller's thread, with the number of its queued commands, ended when the batch's future
 * completes; {@code RedisCommonBatchExecutor.sendCommand} gives it the server it went to.
 */
final class BatchInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.redisson.command.CommandBatchService")
                .or(named("org.redisson.command.RedisCommonBatchExecutor"));
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = BatchInstrumentation.class.getName();
        target.applyAdvice(named("executeAsync").and(takesArguments(0)), name + "$ExecuteAdvice")
                // RedisCommonBatchExecutor: the connection a batch's commands go to (x_host)
                .applyAdvice(named("sendCommand").and(takesArguments(2)), name + "$SendAdvice");
    }

    static final class ExecuteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter(@Advice.FieldValue("commands") Map<?, ?> commands) {
            return RedissonCalls.batchStart(commands);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object span, @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object future,
                         @Advice.Thrown Throwable thrown) {
            RedissonCalls.batchEnd(span, future, thrown);
        }
    }

    static final class SendAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("entry") Object entry, @Advice.Argument(1) Object connection) {
            RedissonCalls.batchSent(((CommandBatchService.Entry) entry).getCommands(),
                    ((RedisConnection) connection).getRedisClient().getAddr());
        }
    }
}
