package io.rpctrace.instrumentation.lettuce;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lettuce.core.RedisURI;
import io.rpctrace.Span;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.redis.AsyncRedisCalls;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code RedisClient.connectStandaloneAsync(codec, uri, timeout)}: where every standalone
 * connect, sync or async, starts. {@code redis.connect} ends when its future completes.
 * (Advice parameters are {@code Object}: the agent cannot resolve Lettuce's types.)
 */
final class RedisClientInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("io.lettuce.core.RedisClient");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("connectStandaloneAsync").and(takesArguments(3)),
                RedisClientInstrumentation.class.getName() + "$ConnectAdvice");
    }

    static final class ConnectAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.Argument(1) Object uri) {
            RedisURI u = (RedisURI) uri;
            return AsyncRedisCalls.connectStart(u.getHost(), u.getPort(), u.getDatabase());
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span span, @Advice.Argument(1) Object uri, @Advice.Return Object future,
                         @Advice.Thrown Throwable thrown) {
            RedisURI u = (RedisURI) uri;
            AsyncRedisCalls.connectEnd(span, future, thrown, u.getHost(), u.getPort(), u.getDatabase());
        }
    }
}
