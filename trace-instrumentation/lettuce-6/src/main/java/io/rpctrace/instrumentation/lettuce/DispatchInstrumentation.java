package io.rpctrace.instrumentation.lettuce;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.redis.AsyncRedisCalls;
import java.nio.ByteBuffer;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** {@code StatefulRedisConnectionImpl.dispatch(RedisCommand)}: one span per command, in the caller's scope. */
final class DispatchInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("io.lettuce.core.StatefulRedisConnectionImpl");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("dispatch").and(takesArguments(1))
                        .and(takesArgument(0, named("io.lettuce.core.protocol.RedisCommand"))),
                DispatchInstrumentation.class.getName() + "$DispatchAdvice");
    }

    static final class DispatchAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object connection, @Advice.Argument(0) Object cmd) {
            RedisCommand<?, ?, ?> command = (RedisCommand<?, ?, ?>) cmd;
            ProtocolKeyword type = command.getType();
            CommandArgs<?, ?> args = command.getArgs();
            ByteBuffer key = args == null ? null : args.getFirstEncodedKey();
            Object first = null;
            if (key == null && args != null) {
                first = args.getFirstInteger();
                if (first == null) {
                    first = args.getFirstString();
                }
            }
            AsyncRedisCalls.dispatch(connection, command, type, type.getBytes(), key, first,
                    args != null && AsyncRedisCalls.capturingParams() ? args.toCommandString() : null);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Argument(0) Object command, @Advice.Thrown Throwable thrown) {
            AsyncRedisCalls.dispatchFailed(command, thrown);
        }
    }
}
