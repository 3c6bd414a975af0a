package io.rpctrace.instrumentation.kafka;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.internal.HostPorts;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.kafka.clients.Metadata;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;

/**
 * The producer's own completion object, built by {@code doSend} for every message and
 * completed once with the acknowledgement or the failure: {@code InterceptorCallback}
 * (2.x to 3.2) and {@code AppendCallbacks} (3.3+). Its constructor binds it to the send's
 * call; {@code onCompletion} ends the call, naming the partition leader that took it.
 */
final class ProducerCallbackInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.kafka.clients.producer.KafkaProducer$InterceptorCallback")
                .or(named("org.apache.kafka.clients.producer.KafkaProducer$AppendCallbacks"));
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(isConstructor(), ProducerCallbackInstrumentation.class.getName() + "$ConstructorAdvice")
                .applyAdvice(named("onCompletion").and(takesArguments(2)),
                        ProducerCallbackInstrumentation.class.getName() + "$CompletionAdvice");
    }

    static final class ConstructorAdvice {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object self) {
            ProduceCall.bindCallback(self);
        }
    }

    static final class CompletionAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object self, @Advice.Argument(0) RecordMetadata md,
                          @Advice.Argument(1) Exception error) {
            ProduceCall call = ProduceCall.forCallback(self);
            if (call == null || !call.claim()) {
                return;
            }
            int partition = md == null ? -1 : md.partition();
            String host = null;
            if (partition >= 0 && call.client() instanceof Metadata) {
                Node leader = ((Metadata) call.client()).fetch().leaderFor(new TopicPartition(md.topic(), partition));
                if (leader != null) {
                    host = HostPorts.of(leader.host(), leader.port());
                }
            }
            if (error != null || md == null) {
                call.failed(error, host, partition);
            } else {
                call.acked(host, partition, md.offset(), md.serializedValueSize());
            }
        }
    }
}
