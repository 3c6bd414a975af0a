package io.rpctrace.instrumentation.apachehttpclient5;

import io.rpctrace.instrumentation.http.AsyncClientCalls;
import io.rpctrace.internal.CallDepth;
import net.bytebuddy.asm.Advice;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;

/**
 * Around {@code CloseableHttpAsyncClient.doExecute(target, producer, consumer, push, context, callback)}
 * (every {@code execute} overload ends there): expects a call whose response the consumer will
 * see, and hands the library a callback that runs in the caller's (child) scope.
 */
final class AsyncExecuteAdvice {
    private AsyncExecuteAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static boolean enter(@Advice.Argument(2) AsyncResponseConsumer<?> consumer,
                         @Advice.Argument(value = 5, readOnly = false) FutureCallback<?> callback) {
        if (CallDepth.of(AsyncResponseConsumer.class).enter() > 0) {
            return false;
        }
        callback = (FutureCallback<?>) AsyncClientCalls.expect(consumer, FutureCallback.class, callback);
        return true;
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.Enter boolean outermost, @Advice.Argument(2) AsyncResponseConsumer<?> consumer,
                     @Advice.Thrown Throwable thrown) {
        CallDepth.of(AsyncResponseConsumer.class).exit();
        if (outermost) {
            AsyncClientCalls.done();
            if (thrown != null) {
                AsyncClientCalls.failed(consumer, thrown);
            }
        }
    }
}
