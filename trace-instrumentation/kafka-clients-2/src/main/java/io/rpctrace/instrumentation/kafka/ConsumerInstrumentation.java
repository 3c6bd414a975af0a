package io.rpctrace.instrumentation.kafka;

import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Iterator;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;

/**
 * {@code KafkaConsumer.poll(Duration)} / {@code poll(long)}: entering a poll ends the scope of
 * the message processed before it (no scope reaches the next batch); the batch returned is
 * registered (one {@code PolledBatch} per poll) with what each message's scope needs.
 */
final class ConsumerInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.apache.kafka.clients.consumer.KafkaConsumer");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("poll").and(isPublic()).and(takesArguments(1))
                        .and(returns(named("org.apache.kafka.clients.consumer.ConsumerRecords"))),
                ConsumerInstrumentation.class.getName() + "$PollAdvice");
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class PollAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            ConsumeScopes.pollStarted();
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This KafkaConsumer consumer, @Advice.Return ConsumerRecords records) {
            if (records == null || records.isEmpty()) {
                return;
            }
            String group = null;
            try {
                group = consumer.groupMetadata().groupId();
            } catch (Throwable noGroup) {
                // no group.id configured (assign() without a group): x_extra goes without it
            }
            PolledBatch batch = ConsumeScopes.batch(group, records.count());
            for (Object o : records) {
                ConsumerRecord r = (ConsumerRecord) o;
                Object[] ids = batch.pairsToFill();   // an emptied array of an earlier poll, or null
                // Kafka's own headers are read by index and in place: no iterator, no key
                // decoded, no value copied (ConsumedHeaders.headerList, wantedName, rawValue)
                List list = ConsumedHeaders.headerList(r.headers());
                Iterator<Header> it = list == null ? r.headers().iterator() : null;
                for (int i = 0; it != null ? it.hasNext() : i < list.size(); i++) {
                    Header h = it != null ? it.next() : (Header) list.get(i);
                    String name = ConsumedHeaders.wantedName(h);
                    if (name == null) {
                        name = ConsumedHeaders.wanted(h.key()) ? h.key() : "";
                    }
                    if (!name.isEmpty()) {
                        Object value = ConsumedHeaders.rawValue(h);
                        ids = ConsumedHeaders.addHeader(ids, name, value != null ? value : h.value());
                    }
                }
                batch.add(r, r.topic(), r.partition(), r.offset(), ids);
            }
            ConsumeScopes.polled(records, batch);
        }
    }
}
