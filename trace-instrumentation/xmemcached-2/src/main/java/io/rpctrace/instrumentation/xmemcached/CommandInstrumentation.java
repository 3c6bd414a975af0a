package io.rpctrace.instrumentation.xmemcached;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.memcache.MemcacheCalls;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.rubyeye.xmemcached.command.Command;

/**
 * {@code net.rubyeye.xmemcached.command.Command}: the I/O thread sets a command's result and
 * calls {@code countDownLatch()}, which ends its span before the caller wakes; an error reply
 * or a closed connection first sets an exception ({@code setException}), which ends it as a
 * failure (a closed session releases the latch without {@code countDownLatch()}).
 */
final class CommandInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("net.rubyeye.xmemcached.command.Command");
    }

    @Override
    public void transform(AdviceTarget target) {
        String name = CommandInstrumentation.class.getName();
        target.applyAdvice(named("countDownLatch").and(takesArguments(0)), name + "$CountDownAdvice")
                .applyAdvice(named("setException").and(takesArguments(1)), name + "$ExceptionAdvice");
    }

    static final class CountDownAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object command) {
            if (MemcacheCalls.inFlight(command)) {
                Command c = (Command) command;
                XCommands.completed(c, c.getCommandType(), c.getResult());
            }
        }
    }

    static final class ExceptionAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object command, @Advice.Argument(0) Throwable exception) {
            MemcacheCalls.fail(command, exception);
        }
    }
}
