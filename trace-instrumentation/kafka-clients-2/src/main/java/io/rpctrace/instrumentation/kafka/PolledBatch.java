package io.rpctrace.instrumentation.kafka;

import java.util.Arrays;

/**
 * What the scopes of one polled batch need, message by message, in the batch's order.
 *
 * <p>Design note: one batch per poll, not an entry per message. A weak map entry per message
 * cost a {@code WeakReference} each, and reference processing of hundreds of thousands of
 * them per collection made the consumer's GC pauses 20× longer. The batch keeps parallel arrays
 * (five allocations per poll) and finds a message by identity from a cursor: an
 * application iterates in order, so the lookup is one comparison.
 */
public final class PolledBatch {
    String group;
    final Object[] messages;
    final String[] topics;
    final int[] partitions;
    final long[] offsets;
    final Object[][] headers;
    int size;
    private int cursor;
    /** Iterations of the container ({@link ConsumeScopes#iterator}) not yet at their end. */
    volatile int live;
    /**
     * A list or iterable of it was handed out ({@link ConsumeScopes#list}, {@link ConsumeScopes#iterable}): iterated
     * any number of times, maybe on another thread, so the batch is never filled again.
     */
    volatile boolean kept;

    /** A batch of up to {@code capacity} messages consumed by {@code group} (null when none). */
    public PolledBatch(String group, int capacity) {
        int n = Math.max(0, capacity);
        this.group = group;
        this.messages = new Object[n];
        this.topics = new String[n];
        this.partitions = new int[n];
        this.offsets = new long[n];
        this.headers = new Object[n][];
    }

    /**
     * True when no iteration can read the batch any more: an application may keep iterating
     * a poll's records after polling again (or hand a partition's list to a worker), and
     * those messages keep their own ids only if their batch is not filled by the next poll.
     */
    boolean reusable() {
        return live == 0 && !kept;
    }

    /** Empties the batch for another poll, dropping the references to the messages it held. */
    void reset(String group) {
        Arrays.fill(messages, 0, size, null);
        Arrays.fill(topics, 0, size, null);
        // each message's header pairs array is emptied, not dropped: the next poll's message
        // in that place fills it again (pairsToFill), 40 bytes a message not made
        for (int i = 0; i < size; i++) {
            if (headers[i] != null) {
                Arrays.fill(headers[i], null);
            }
        }
        this.group = group;
        size = 0;
        cursor = 0;
    }

    /**
     * Adds one message; {@code headerPairs} holds its {@linkplain ConsumedHeaders#wanted wanted}
     * headers ({@link ConsumedHeaders#addHeader}) or null.
     */
    public void add(Object message, String topic, int partition, long offset, Object[] headerPairs) {
        if (message == null || size == messages.length) {
            return;
        }
        messages[size] = message;
        topics[size] = topic;
        partitions[size] = partition;
        offsets[size] = offset;
        headers[size] = headerPairs;
        size++;
    }

    /**
     * The emptied header pairs array an earlier poll's message left in the place the next
     * {@link #add} fills, for {@link ConsumedHeaders#addHeader} to fill again; null when there
     * is none. Only a batch no iteration can read any more is filled again ({@link #reusable}),
     * and extraction keeps the decoded strings, never the array, so no scope sees it change.
     */
    public Object[] pairsToFill() {
        Object[] pairs = size < headers.length ? headers[size] : null;
        if (pairs != null) {
            Arrays.fill(pairs, null);   // empty already, unless a message was refused after its headers were read
        }
        return pairs;
    }

    int indexOf(Object message) {
        int n = size;
        for (int k = 0, i = cursor; k < n; k++, i++) {
            if (i >= n) {
                i = 0;
            }
            if (messages[i] == message) {
                cursor = i + 1;
                return i;
            }
        }
        return -1;
    }
}
