package io.rpctrace.instrumentation.kafka;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Spring for Apache Kafka's listener container ({@code @KafkaListener}), its
 * {@code ListenerConsumer}. A batch listener ({@code List<ConsumerRecord>}) is handed a poll's
 * messages whole by {@code invokeBatchListener(records)}: it runs in a scope of the batch's own
 * ({@link ConsumeScopes#batchStarted}). A record listener that
 * throws never reaches the application's iteration, the container catches the exception and
 * hands it to {@code ListenerConsumer.invokeErrorHandler(record, iterator, exception)}, which takes
 * the rest of the batch from the iterator to seek back to it. The open message's record becomes
 * {@code kafka.consume.error}; the messages the error handler takes are not processed, so they get
 * no scope and no record ({@link ConsumeScopes#listenerFailed}).
 */
final class SpringListenerContainerInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("invokeErrorHandler").and(takesArguments(3))
                        .and(takesArgument(2, RuntimeException.class)),
                SpringListenerContainerInstrumentation.class.getName() + "$ErrorHandlerAdvice");
        target.applyAdvice(named("invokeBatchListener").and(takesArguments(1)),
                SpringListenerContainerInstrumentation.class.getName() + "$BatchListenerAdvice");
    }

    /** A batch listener is handed a poll's messages whole: it runs in a scope of the batch's own. */
    static final class BatchListenerAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            ConsumeScopes.batchStarted();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            ConsumeScopes.batchEnded();
        }
    }

    static final class ErrorHandlerAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(2) RuntimeException thrown) {
            ConsumeScopes.listenerFailed(thrown);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            ConsumeScopes.failureHandled();
        }
    }
}
