package io.rpctrace.instrumentation.servlet.jakarta;

import io.rpctrace.instrumentation.http.HttpServerCalls;
import jakarta.servlet.http.HttpServletResponse;
import net.bytebuddy.asm.Advice;

/**
 * {@link io.rpctrace.instrumentation.servlet.ResponseHeaderInstrumentation}'s advice: skips the add of
 * a second {@code X-Trace-Id}.
 */
final class AddHeaderAdvice {
    private AddHeaderAdvice() {
    }

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
    static boolean enter(@Advice.This Object response, @Advice.Argument(0) String name) {
        return HttpServerCalls.RESPONSE_HEADER.equalsIgnoreCase(name)
                && ((HttpServletResponse) response).containsHeader(name);
    }
}
