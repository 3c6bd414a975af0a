package io.rpctrace.instrumentation.jdbc;

import net.bytebuddy.asm.Advice;

/** Statements run inside the advised method (a pool's or driver's liveness check) are not recorded. */
final class SilentAdvice {
    private SilentAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter() {
        JdbcCalls.silentStart();
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit() {
        JdbcCalls.silentEnd();
    }
}
