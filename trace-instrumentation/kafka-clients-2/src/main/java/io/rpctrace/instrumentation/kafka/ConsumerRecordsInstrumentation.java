package io.rpctrace.instrumentation.kafka;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Iterator;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The ways an application iterates a batch: {@code iterator()} (for-each loops and
 * {@code forEach}, which calls it), {@code records(partition)} and {@code records(topic)}.
 * Each result is wrapped so that taking a message enters its scope.
 */
final class ConsumerRecordsInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.kafka.clients.consumer.ConsumerRecords");
    }

    @Override
    public void transform(AdviceTarget target) {
        String advice = ConsumerRecordsInstrumentation.class.getName();
        target.applyAdvice(named("iterator").and(takesArguments(0)), advice + "$IteratorAdvice")
                .applyAdvice(named("records").and(takesArguments(1))
                        .and(takesArgument(0, named("org.apache.kafka.common.TopicPartition"))), advice + "$PartitionAdvice")
                .applyAdvice(named("records").and(takesArguments(1)).and(takesArgument(0, String.class)),
                        advice + "$TopicAdvice");
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class IteratorAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object records, @Advice.Return(readOnly = false) Iterator it) {
            it = ConsumeScopes.iterator(records, it);
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class PartitionAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object records, @Advice.Return(readOnly = false) List list) {
            list = ConsumeScopes.list(records, list);
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class TopicAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object records, @Advice.Return(readOnly = false) Iterable iterable) {
            iterable = ConsumeScopes.iterable(records, iterable);
        }
    }
}
