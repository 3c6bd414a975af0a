package io.rpctrace.instrumentation.kafka;

import io.rpctrace.Span;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Propagation;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.AdviceErrors;
import io.rpctrace.internal.SpanHooks;
import io.rpctrace.internal.ThreadSlot;
import io.rpctrace.record.RecordNames;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * docs/model.md#rule-1 for consumed messages: each message the application takes from a polled
 * batch is processed in a scope entered from its headers, ending with a {@code kafka.consume}
 * record timed over the processing.
 *
 * <p>The poll advice records, in one {@link PolledBatch} per poll, what each message's scope needs
 * (topic, partition, offset, group and the propagation headers, read by {@link ConsumedHeaders});
 * the application's iterations of that poll's container go through {@linkplain #iterator
 * wrappers} whose {@code next()} ends the previous message's scope and enters the next one's; the
 * end of the iteration or the next poll ends the last one. So no scope outlives its message, spans two messages or
 * reaches the next poll.
 *
 * <pre>{@code
 * // poll enter:  ConsumeScopes.pollStarted();
 * // poll exit:   PolledBatch b = ConsumeScopes.batch(group, records.count());
 * //              for each record: b.add(record, topic, partition, offset, headerPairs);   (ConsumedHeaders)
 * //              ConsumeScopes.polled(records, b);
 * // iterator() / records(partition) / records(topic) exit: wrap the result (ConsumeScopes.iterator(this, it))
 * }</pre>
 */
public final class ConsumeScopes {
    /**
     * The container ({@code ConsumerRecords}) the last poll of this thread returned, and its batch.
     *
     * <p>Design note: a thread-local, not a map keyed by container. A weak map's value outlives
     * its key by a collection (it is purged after the key was cleared), so each young
     * collection copied every batch consumed since the previous one, messages and all: GC
     * time went up 40×. Consumers iterate a poll's records on the polling thread (the consumer
     * is single-threaded; Spring Kafka's listener containers and reactor-kafka do so too), and
     * the next poll ends them, so one batch per consumer thread is all that is kept.
     */
    private static final ThreadSlot<Polled> POLLED = new ThreadSlot<Polled>() {
        @Override
        protected Polled initialValue() {
            return new Polled();
        }
    };

    private ConsumeScopes() {
    }

    /**
     * The poll returned {@code batch} for the container {@code records} (the
     * {@code ConsumerRecords}): iterations of that container enter a scope per message.
     */
    public static void polled(Object records, PolledBatch batch) {
        if (records != null && batch != null && batch.size > 0) {
            Polled p = POLLED.get();
            p.records = records;
            p.batch = batch;
        }
    }

    /**
     * The batch for a poll of {@code capacity} messages: this thread's, emptied, when it is large
     * enough (its five arrays are made again only for a larger poll) and no iteration of an
     * earlier poll can still read it ({@link PolledBatch#reusable}).
     */
    public static PolledBatch batch(String group, int capacity) {
        Polled p = POLLED.get();
        PolledBatch b = p.spare;
        if (b == null || b.messages.length < capacity || !b.reusable()) {
            b = new PolledBatch(group, capacity);
            p.spare = b;
        } else {
            b.reset(group);
        }
        return b;
    }

    /** A poll begins on this thread: the message processed before it is done, and its batch. */
    public static void pollStarted() {
        closeOpen(null);
        Polled p = POLLED.get();
        p.records = null;
        p.batch = null;
        PolledBatch spare = p.spare;
        if (spare != null) {
            // emptied now, not by the next poll that returns records: an idle consumer (or a
            // pool thread whose consumer was closed) holds none of its last messages and their
            // fetched buffers; a batch an iteration may still read is left to it, not reused
            if (spare.reusable()) {
                spare.reset(null);
            } else {
                p.spare = null;
            }
        }
    }

    /** The application takes {@code message} of {@code batch}: ends the previous message's scope, enters this one's. */
    static void taken(PolledBatch batch, Object message, Object iteration) {
        Polled p = POLLED.get();
        closeOpen(p, null);
        if (p.failing) {
            return;   // an error handler takes the rest of the batch to seek back to it: not processed
        }
        int i = batch.indexOf(message);
        if (i < 0) {
            if (p.batchScope != null && p.listing) {
                p.addBatchMessage(null, message); // keeps the list's positions (batchFailed)
            }
            return;
        }
        try {
            Scope scope = Propagation.extract(batch.headers[i], ConsumedHeaders.PAIRS, null);
            Span span = SpanHooks.enterAs(RecordNames.KAFKA_CONSUME, scope).action(batch.topics[i])
                    .extra("partition", batch.partitions[i]).extra("offset", batch.offsets[i]);
            if (batch.group != null) {
                span.extra("group", batch.group);
            }
            if (p.batchScope != null) {
                span.extra("batch_trace_id", p.batchScope.traceId());
                if (p.listing) {
                    // taken to build a batch listener's list: processed by the listener, so its
                    // record stays open until the listener is done, and its failure is the
                    // message's (batchFailed); the listener runs in the batch's scope, not this one
                    span.exitScope();
                    p.addBatchMessage(span, message);
                    return;
                }
            }
            p.open = span;
            p.openIteration = iteration;
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /**
     * Spring Kafka's container caught {@code thrown} from the listener of the open message and
     * hands it to its error handler: the message's record is {@code kafka.consume.error}, coded by
     * the listener's own exception (not the {@code ListenerExecutionFailedException} Spring wraps it
     * in); the messages taken from the iteration until {@link #failureHandled} are only collected
     * to be sought back to, and get no scope.
     */
    public static void listenerFailed(Throwable thrown) {
        Polled p = POLLED.get();
        Span open = p.open;
        failed(open, thrown);
        closeOpen(p, null);
        p.failing = true;
    }

    /** The error handler of {@link #listenerFailed} returned (or threw). */
    public static void failureHandled() {
        POLLED.get().failing = false;
    }

    /**
     * Spring Kafka's container is about to hand a poll's messages whole to a batch listener
     * ({@code List<ConsumerRecord>}): their work cannot be told apart per message, so the
     * listener runs in a scope of the batch's own, a new trace entered as a request without
     * caller ids (its calls {@code 0.2}, {@code 0.3}, …), until {@link #batchEnded}. The messages
     * the container takes from the iteration to build the list still get their scopes and
     * records, in their own traces, each naming the batch's trace as
     * {@code x_extra.batch_trace_id}; the records are timed until the listener is done
     * ({@link #batchEnded}) and fail with it ({@link #batchFailed}) (docs/RATIONALE.md, "A batch
     * handed whole to a listener").
     */
    public static void batchStarted() {
        Polled p = POLLED.get();
        closeOpen(p, null);
        try {
            Scope batch = Scope.enter(null, null, false);
            p.beforeBatch = CurrentScope.set(batch);
            p.batchScope = batch;
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /**
     * Spring Kafka's container caught {@code thrown} from a batch listener and hands it to its
     * batch error handler: every message handed to the listener is {@code kafka.consume.error},
     * coded by the listener's own exception (unwrapped from {@code ListenerExecutionFailedException}).
     * When the listener named the message that failed with a {@code BatchListenerFailedException}
     * (its index in the list, or the record), as Spring Kafka asks a batch listener to, only that
     * one fails: the messages before it were processed (their records are written as usual), and
     * those after it were not and are delivered again, so their records are dropped
     * ({@link SpanHooks#abandon}); each gets its record when it is processed. The handler's own
     * iterations of the batch (to log, recover or seek back) take no message until
     * {@link #failureHandled}.
     */
    public static void batchFailed(Throwable thrown) {
        Polled p = POLLED.get();
        p.failing = true;   // until failureHandled: the handler's own iterations are not processing
        if (p.open != null) {   // a listener iterating ConsumerRecords itself threw while processing this one
            failed(p.open, thrown);
            closeOpen(p, null);
        }
        Throwable named = batchListenerFailed(thrown);
        int at = named == null ? -1 : failedIndex(p, named);
        if (at < 0) {
            for (int i = 0; i < p.batchMessages; i++) {
                failed(p.batchOpen[i], thrown);
            }
            return;
        }
        failed(p.batchOpen[at], named.getCause() != null ? named.getCause() : named);
        for (int i = at + 1; i < p.batchMessages; i++) {
            Span m = p.batchOpen[i];
            p.batchOpen[i] = null;
            if (m != null) {
                try {
                    SpanHooks.abandon(m);
                } catch (Throwable t) {
                    AdviceErrors.record(t);
                }
            }
        }
    }

    /** Spring Kafka's {@code BatchListenerFailedException} in {@code thrown}'s causes, or null. */
    private static Throwable batchListenerFailed(Throwable thrown) {
        Throwable t = thrown;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t.getClass().getName().endsWith(".BatchListenerFailedException")) {
                return t;
            }
        }
        return null;
    }

    /**
     * The position in the listed messages of the one a {@code BatchListenerFailedException} names
     * ({@code getIndex()}, else {@code getRecord()} found by identity), or -1 when it names none
     * of them (Spring Kafka then treats the whole batch as failed, and so do the records).
     */
    private static int failedIndex(Polled p, Throwable named) {
        try {
            int index = ((Number) named.getClass().getMethod("getIndex").invoke(named)).intValue();
            if (index < 0) {
                Object record = named.getClass().getMethod("getRecord").invoke(named);
                for (int i = 0; record != null && i < p.batchMessages; i++) {
                    if (p.batchMessageOf[i] == record) {
                        return i;
                    }
                }
                return -1;
            }
            return index < p.batchMessages ? index : -1;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return -1; // not the class this expects: every message fails, as without an index
        }
    }

    /**
     * Marks a message's {@code span} failed by the listener's {@code thrown}: coded by the listener's
     * own exception, the cause of Spring's {@code ListenerExecutionFailedException}. Null-safe.
     */
    private static void failed(Span span, Throwable thrown) {
        if (span == null || thrown == null) {
            return;
        }
        Throwable t = thrown.getCause() != null
                && thrown.getClass().getName().endsWith(".ListenerExecutionFailedException") ? thrown.getCause() : thrown;
        try {
            span.code(t.getClass().getSimpleName()).error(t);
        } catch (Throwable e) {
            AdviceErrors.record(e);
        }
    }

    /**
     * Spring Kafka's container lists a poll's messages for a batch listener
     * ({@code ListenerConsumer.createRecordList}) until {@link #listed}: the messages it takes are
     * processed when the listener runs ({@link #batchEnded}). A listener that takes
     * {@code ConsumerRecords} and iterates it gets no list, and a scope per message as it iterates.
     */
    public static void listing() {
        POLLED.get().listing = true;
    }

    /** The list of {@link #listing} is made. */
    public static void listed() {
        POLLED.get().listing = false;
    }

    /**
     * The batch listener of {@link #batchStarted} returned (or threw): the records of the messages
     * it was handed are written, and the scope before it is back.
     */
    public static void batchEnded() {
        Polled p = POLLED.get();
        closeOpen(p, null);
        for (int i = 0; i < p.batchMessages; i++) {
            Span m = p.batchOpen[i];
            p.batchOpen[i] = null;
            p.batchMessageOf[i] = null;
            if (m != null) {
                try {
                    m.close();
                } catch (Throwable t) {
                    AdviceErrors.record(t);
                }
            }
        }
        p.batchMessages = 0;
        if (p.batchScope != null) {
            p.batchScope = null;
            CurrentScope.restore(p.beforeBatch);
            p.beforeBatch = null;
        }
    }

    /** Ends the open message scope (of {@code iteration} only, unless null). */
    static void closeOpen(Object iteration) {
        closeOpen(POLLED.get(), iteration);
    }

    private static void closeOpen(Polled p, Object iteration) {
        Span open = p.open;
        if (open == null || (iteration != null && p.openIteration != iteration)) {
            return;
        }
        p.open = null;
        p.openIteration = null;
        try {
            open.close();
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /** The iteration over {@code records} (or one partition of it) with a scope per message. */
    public static <T> Iterator<T> iterator(Object records, Iterator<T> it) {
        PolledBatch batch = batchOf(records);
        if (batch == null || it == null || it instanceof ScopedRecords.ScopedIterator) {
            return it;
        }
        ScopedRecords.ScopedIterator<T> scoped = new ScopedRecords.ScopedIterator<>(batch, it);
        ScopedRecords.LIVE.incrementAndGet(batch);   // until the iteration ends: a later poll does not refill the batch
        scoped.counted = true;
        return scoped;
    }

    /** {@code records(partition)}: the list whose iteration enters a scope per message. */
    public static <T> List<T> list(Object records, List<T> list) {
        PolledBatch batch = batchOf(records);
        if (batch == null || list == null || list instanceof ScopedRecords.ScopedList || list.isEmpty()) {
            return list;
        }
        batch.kept = true;
        return new ScopedRecords.ScopedList<>(batch, list);
    }

    /** {@code records(topic)}: the iterable whose iteration enters a scope per message. */
    public static <T> Iterable<T> iterable(Object records, Iterable<T> it) {
        PolledBatch batch = batchOf(records);
        if (batch == null || it == null || it instanceof ScopedRecords.ScopedIterable) {
            return it;
        }
        batch.kept = true;
        return new ScopedRecords.ScopedIterable<>(batch, it);
    }

    private static PolledBatch batchOf(Object records) {
        Polled p = POLLED.get();
        return records != null && p.records == records ? p.batch : null;
    }

    /** This thread's consumer state: the last poll's batch and the message scope open now. */
    private static final class Polled {
        Object records;
        PolledBatch batch;
        /** The span of the message being processed (its scope is current), or null. */
        Span open;
        /** The iteration that took it; only that iteration's end closes it. */
        Object openIteration;
        /** The batch the polls of this thread fill again ({@link #batch}). */
        PolledBatch spare;
        /** Spring Kafka's error handler runs ({@link #listenerFailed}). */
        boolean failing;
        /** The scope a batch listener runs in ({@link #batchStarted}), or null. */
        Scope batchScope;
        /** The scope {@link #batchScope} replaced. */
        Scope beforeBatch;
        /**
         * The spans of the messages handed to the batch listener, in the list's order, open until it
         * is done ({@link #batchEnded}); null for a message that got none.
         */
        Span[] batchOpen = NO_SPANS;
        /** The messages of {@link #batchOpen}, position for position. */
        Object[] batchMessageOf = NO_MESSAGES;
        int batchMessages;
        /** Spring Kafka's container lists a poll's messages for a batch listener ({@link #listing}). */
        boolean listing;

        void addBatchMessage(Span span, Object message) {
            if (batchMessages == batchOpen.length) {
                batchOpen = Arrays.copyOf(batchOpen, Math.max(16, batchMessages * 2));
                batchMessageOf = Arrays.copyOf(batchMessageOf, batchOpen.length);
            }
            batchOpen[batchMessages] = span;
            batchMessageOf[batchMessages++] = message;
        }
    }

    private static final Span[] NO_SPANS = new Span[0];
    private static final Object[] NO_MESSAGES = new Object[0];
}
