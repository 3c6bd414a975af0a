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
 * ({@link ConsumeScopes#batchStarted}), and the records of the messages the container lists for
 * it ({@code createRecordList}) end when it is done; when it throws, the container hands the
 * exception to {@code invokeBatchErrorHandler(records, list, exception)}, and every message's
 * record becomes {@code kafka.consume.error} ({@link ConsumeScopes#batchFailed}; only the one a
 * {@code BatchListenerFailedException} names, when it names one). A record
 * listener that throws never reaches the application's iteration, the container catches the exception and
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
        target.applyAdvice(named("createRecordList").and(takesArguments(1)),
                SpringListenerContainerInstrumentation.class.getName() + "$ListingAdvice");
        target.applyAdvice(named("invokeBatchErrorHandler").and(takesArguments(3))
                        .and(takesArgument(2, RuntimeException.class)),
                SpringListenerContainerInstrumentation.class.getName() + "$BatchErrorHandlerAdvice");
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

    /** The container lists a poll's messages for a batch listener: they are the listener's to process. */
    static final class ListingAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            ConsumeScopes.listing();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            ConsumeScopes.listed();
        }
    }

    /** A batch listener threw: the messages it was handed failed with it. */
    static final class BatchErrorHandlerAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(2) RuntimeException thrown) {
            ConsumeScopes.batchFailed(thrown);
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit() {
            ConsumeScopes.failureHandled();
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
