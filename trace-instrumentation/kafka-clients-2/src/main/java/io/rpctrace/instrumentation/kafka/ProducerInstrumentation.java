package io.rpctrace.instrumentation.kafka;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@code KafkaProducer.doSend}: where every {@code send} ends, after the producer
 * interceptors ran (so the headers go on the message actually sent). Starts the call, writes
 * the headers, hands the producer the call as the send's callback (it ends the call on the
 * acknowledgement, then runs the application's callback), and on return ends the call when the
 * send failed before reaching the accumulator (metadata wait timed out, serialization, a
 * closed producer).
 */
final class ProducerInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.kafka.clients.producer.KafkaProducer");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("doSend").and(takesArguments(2)),
                ProducerInstrumentation.class.getName() + "$DoSendAdvice");
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class DoSendAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static ProduceCall enter(@Advice.Argument(value = 0, readOnly = false) ProducerRecord record,
                                 @Advice.Argument(value = 1, readOnly = false) Callback callback,
                                 @Advice.FieldValue("metadata") Object metadata) {
            if (record == null) {
                return null;
            }
            ProduceCall call = ProduceCall.start(Callback.class, record.topic(), metadata, callback);
            if (call == null) {
                return null;
            }
            callback = (Callback) call;   // ends the call, then runs the application's callback
            Headers headers = record.headers();
            try {
                call.addHeaders(headers);
            } catch (IllegalStateException readOnly) {
                // headers of a message sent before are read-only: send a copy with fresh ids
                RecordHeaders copy = new RecordHeaders();
                for (Header h : headers) {
                    if (!ProduceCall.isPropagationHeader(h.key())) {
                        copy.add(h);
                    }
                }
                call.addHeaders(copy);
                record = new ProducerRecord(record.topic(), record.partition(), record.timestamp(), record.key(),
                        record.value(), copy);
            }
            return call;
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter ProduceCall call, @Advice.Return Future<?> future,
                         @Advice.Thrown Throwable thrown) {
            if (call == null) {
                return;
            }
            Throwable failure = thrown;
            if (failure == null && future != null && future.isDone()) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    failure = e.getCause();
                } catch (Throwable ignored) {
                    // interrupted or cancelled: the completion callback reports it
                }
            }
            if (failure != null && call.claim()) {
                call.failed(failure, null, -1);
            }
        }
    }
}
