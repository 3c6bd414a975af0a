package io.rpctrace.instrumentation.redisson;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.redisson.client.RedisConnection;
import org.redisson.client.protocol.RedisCommand;

/**
 * Design note: advice parameters are typed {@code Object} and cast in the body: the agent
 * describes advice from its own class files, where Redisson's types cannot be resolved.
 *
 * <p>{@code org.redisson.command.RedisExecutor}: {@code execute()} runs on the thread that
 * issues the command (the caller of a sync or async method, the subscriber of a reactive one)
 * and starts its {@code redis.request}; a retry runs it again and keeps the first span.
 * {@code sendCommand} says which server got it; {@code handleSuccess}/{@code handleError} end
 * it just before the application's future completes. Batches' executors (subclasses) are
 * left to {@link BatchInstrumentation}.
 */
final class RedisExecutorInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.redisson.command.RedisExecutor");
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = RedisExecutorInstrumentation.class.getName();
        target.applyAdvice(named("execute").and(takesArguments(0)), name + "$ExecuteAdvice")
                .applyAdvice(named("sendCommand").and(takesArguments(2)), name + "$SendAdvice")
                .applyAdvice(named("handleSuccess").and(takesArguments(3)), name + "$SuccessAdvice")
                .applyAdvice(named("handleError").and(takesArguments(2)), name + "$ErrorAdvice");
    }

    static final class ExecuteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object executor, @Advice.FieldValue("command") Object command,
                          @Advice.FieldValue("params") Object[] params,
                          @Advice.FieldValue("mainPromise") Object mainPromise) {
            if (command != null && RedissonCalls.isPlainExecutor(executor)) {
                RedisCommand<?> c = (RedisCommand<?>) command;
                RedissonCalls.start(mainPromise, c.getName(), c.getSubName(), params);
            }
        }
    }

    static final class SendAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("mainPromise") Object mainPromise, @Advice.Argument(1) Object connection) {
            if (RedissonCalls.inFlight(mainPromise)) {
                RedissonCalls.sent(mainPromise, ((RedisConnection) connection).getRedisClient().getAddr());
            }
        }
    }

    static final class SuccessAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("mainPromise") Object mainPromise, @Advice.Argument(2) Object reply) {
            RedissonCalls.succeeded(mainPromise, reply);
        }
    }

    static final class ErrorAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.FieldValue("mainPromise") Object mainPromise, @Advice.Argument(1) Throwable cause) {
            RedissonCalls.end(mainPromise, cause);
        }
    }
}
