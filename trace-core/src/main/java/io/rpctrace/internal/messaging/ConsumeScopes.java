package io.rpctrace.internal.messaging;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.context.Propagation;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.AdviceErrors;
import io.rpctrace.internal.concurrent.WeakIdentityMap;
import io.rpctrace.record.RecordNames;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.RandomAccess;
import java.util.function.Consumer;

/**
 * SPEC §1 rule 1 for consumed messages: each message the application takes from a polled
 * batch is processed in a scope entered from its headers, ending with a {@code kafka.consume}
 * record timed over the processing.
 *
 * <p>The poll advice {@linkplain #register registers} every message of the batch with what
 * the scope needs (topic, partition, offset, group and the propagation headers); the
 * application's iteration goes through {@linkplain #iterator wrappers} whose {@code next()}
 * ends the previous message's scope and enters the next one's; the end of the iteration or
 * the next poll ends the last one. So no scope outlives its message, spans two messages or
 * reaches the next poll.
 *
 * <pre>{@code
 * // poll enter:  ConsumeScopes.pollStarted();
 * // poll exit:   for each record: ConsumeScopes.register(record, topic, partition, offset, group, headerPairs)
 * // iterator() / records(partition) / records(topic) exit: wrap the result
 * }</pre>
 */
public final class ConsumeScopes {
    private static final WeakIdentityMap<Consumed> REGISTERED = new WeakIdentityMap<>();
    /** The message being processed on this thread, and the iteration that entered it. */
    private static final ThreadLocal<Object[]> OPEN = new ThreadLocal<>();

    private ConsumeScopes() {
    }

    /** True for a header name that {@link Propagation#extract} reads (so only those are copied). */
    public static boolean wanted(String name) {
        if (name == null) {
            return false;
        }
        String n = name.toLowerCase(Locale.ROOT);
        return ProduceCall.isPropagationHeader(n) || n.equals("b3");
    }

    /** Appends a header to the pairs of one message (null starts a new array). */
    public static String[] addHeader(String[] pairs, String name, byte[] value) {
        if (value == null) {
            return pairs;
        }
        int n = pairs == null ? 0 : pairs.length;
        String[] out = new String[n + 2];
        if (n > 0) {
            System.arraycopy(pairs, 0, out, 0, n);
        }
        out[n] = name;
        out[n + 1] = new String(value, StandardCharsets.UTF_8);
        return out;
    }

    /** Registers one polled message; {@code headerPairs} holds the {@linkplain #wanted wanted} headers or null. */
    public static void register(Object message, String topic, int partition, long offset, String group,
                                String[] headerPairs) {
        if (message != null) {
            REGISTERED.put(message, new Consumed(topic, partition, offset, group, headerPairs));
        }
    }

    /** A poll begins on this thread: the message processed before it is done. */
    public static void pollStarted() {
        closeOpen(null);
    }

    /** The application takes {@code message}: ends the previous message's scope, enters this one's. */
    static void taken(Object message, Object iteration) {
        closeOpen(null);
        if (message == null || REGISTERED.isEmpty()) {
            return;
        }
        try {
            Consumed c = REGISTERED.get(message);
            if (c == null) {
                return;
            }
            Scope scope = Propagation.extract(c.headers, PAIRS, null);
            Span span = Trace.enterAs(RecordNames.KAFKA_CONSUME, scope).action(c.topic)
                    .extra("partition", c.partition).extra("offset", c.offset);
            if (c.group != null) {
                span.extra("group", c.group);
            }
            OPEN.set(new Object[] {span, iteration});
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /** Ends the open message scope (of {@code iteration} only, unless null). */
    static void closeOpen(Object iteration) {
        Object[] open = OPEN.get();
        if (open == null || (iteration != null && open[1] != iteration)) {
            return;
        }
        OPEN.remove();
        try {
            ((Span) open[0]).close();
        } catch (Throwable t) {
            AdviceErrors.record(t);
        }
    }

    /** The iteration over a batch (or one partition of it) with a scope per message. */
    public static <T> Iterator<T> iterator(Iterator<T> it) {
        return it == null || it instanceof ScopedIterator ? it : new ScopedIterator<>(it);
    }

    /** {@code records(partition)}: the list whose iteration enters a scope per message. */
    public static <T> List<T> list(List<T> list) {
        return list == null || list instanceof ScopedList || list.isEmpty() ? list : new ScopedList<>(list);
    }

    /** {@code records(topic)}: the iterable whose iteration enters a scope per message. */
    public static <T> Iterable<T> iterable(Iterable<T> it) {
        return it == null || it instanceof ScopedIterable ? it : new ScopedIterable<>(it);
    }

    private static final Propagation.Getter<String[]> PAIRS = (pairs, name) -> {
        if (pairs == null) {
            return null;
        }
        String v = null;
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equalsIgnoreCase(name)) {
                v = pairs[i + 1];   // the last one wins, as Headers.lastHeader
            }
        }
        return v;
    };

    private static final class Consumed {
        final String topic;
        final int partition;
        final long offset;
        final String group;
        final String[] headers;

        Consumed(String topic, int partition, long offset, String group, String[] headers) {
            this.topic = topic;
            this.partition = partition;
            this.offset = offset;
            this.group = group;
            this.headers = headers;
        }
    }

    static final class ScopedIterator<T> implements Iterator<T> {
        private final Iterator<T> delegate;

        ScopedIterator(Iterator<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public boolean hasNext() {
            boolean more = delegate.hasNext();
            if (!more) {
                closeOpen(this);
            }
            return more;
        }

        @Override
        public T next() {
            T t = delegate.next();
            taken(t, this);
            return t;
        }

        @Override
        public void remove() {
            delegate.remove();
        }
    }

    static final class ScopedList<T> extends AbstractList<T> implements RandomAccess {
        private final List<T> delegate;

        ScopedList(List<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public T get(int index) {
            return delegate.get(index);
        }

        @Override
        public int size() {
            return delegate.size();
        }

        @Override
        public Iterator<T> iterator() {
            return new ScopedIterator<>(delegate.iterator());
        }

        @Override
        public void forEach(Consumer<? super T> action) {
            Iterator<T> it = iterator();
            while (it.hasNext()) {
                action.accept(it.next());
            }
        }
    }

    static final class ScopedIterable<T> implements Iterable<T> {
        private final Iterable<T> delegate;

        ScopedIterable(Iterable<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public Iterator<T> iterator() {
            return new ScopedIterator<>(delegate.iterator());
        }
    }
}
