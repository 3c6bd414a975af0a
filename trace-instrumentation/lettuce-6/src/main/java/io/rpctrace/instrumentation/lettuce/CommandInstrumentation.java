package io.rpctrace.instrumentation.lettuce;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.RedisCommand;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.redis.AsyncRedisCalls;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Lettuce's command objects ({@code Command}, {@code AsyncCommand}, wrappers, the reactive
 * {@code SubscriptionCommand}): {@code complete()} ends the dispatched command's span (failed
 * when the output holds an error reply), {@code completeExceptionally} and {@code cancel}
 * (or the future's {@code cancel(boolean)}) end it failed. Objects that were never dispatched
 * cost one map probe. The span ends on entry, before the future completes, so its record
 * precedes whatever the application does with the result.
 */
final class CommandInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        // The hierarchy from class-file headers first (SuperTypes); isInterface parses the class,
        // so it is asked only of the few that match (docs/RATIONALE.md, "Start-up").
        return nameStartsWith("io.lettuce.core.").and(SuperTypes.concreteSubtypeOf("io.lettuce.core.protocol.RedisCommand"));
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = CommandInstrumentation.class.getName();
        target.applyAdvice(named("complete").and(takesArguments(0)).and(not(isAbstract())), name + "$CompleteAdvice")
                .applyAdvice(named("completeExceptionally").and(takesArguments(1)).and(not(isAbstract())),
                        name + "$CompleteExceptionallyAdvice")
                // cancel(boolean) too: the future the application holds (AsyncCommand, a
                // CompletableFuture) is cancelled through it, and a command cancelled before it
                // was written is never completed: without it, no record at all
                .applyAdvice(named("cancel").and(takesArguments(0)
                                .or(takesArguments(1).and(takesArgument(0, boolean.class)))).and(not(isAbstract())),
                        name + "$CancelAdvice");
    }

    static final class CompleteAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self) {
            if (AsyncRedisCalls.inFlight(self)) {
                CommandOutput<?, ?, ?> output = ((RedisCommand<?, ?, ?>) self).getOutput();
                AsyncRedisCalls.completed(self, output == null ? null : output.getError(),
                        output == null ? null : output.get());
            }
        }
    }

    static final class CompleteExceptionallyAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Argument(0) Throwable thrown) {
            AsyncRedisCalls.failed(self, thrown);
        }
    }

    static final class CancelAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self) {
            AsyncRedisCalls.failed(self, null);
        }
    }
}
