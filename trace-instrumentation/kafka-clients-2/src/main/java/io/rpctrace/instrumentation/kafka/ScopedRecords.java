package io.rpctrace.instrumentation.kafka;

import java.util.AbstractList;
import java.util.Iterator;
import java.util.List;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;

/**
 * The wrappers {@link ConsumeScopes#iterator}, {@link ConsumeScopes#list} and
 * {@link ConsumeScopes#iterable} put around a poll's containers: each {@code next()} ends the
 * previous message's scope and enters the one taken, and the end of an iteration ends the last.
 */
final class ScopedRecords {
    private ScopedRecords() {
    }

    /** The batch's {@code live} count of iterations not yet at their end. */
    static final AtomicIntegerFieldUpdater<PolledBatch> LIVE = AtomicIntegerFieldUpdater.newUpdater(PolledBatch.class, "live");

    static final class ScopedIterator<T> implements Iterator<T> {
        private final PolledBatch batch;
        private final Iterator<T> delegate;
        /** Counted in the batch's {@code live} iterations until its end. */
        boolean counted;

        ScopedIterator(PolledBatch batch, Iterator<T> delegate) {
            this.batch = batch;
            this.delegate = delegate;
        }

        @Override
        public boolean hasNext() {
            boolean more = delegate.hasNext();
            if (!more) {
                ConsumeScopes.closeOpen(this);
                if (counted) {
                    counted = false;
                    LIVE.decrementAndGet(batch);
                }
            }
            return more;
        }

        @Override
        public T next() {
            T t = delegate.next();
            ConsumeScopes.taken(batch, t, this);
            return t;
        }

        @Override
        public void remove() {
            delegate.remove();
        }
    }

    static final class ScopedList<T> extends AbstractList<T> implements RandomAccess {
        private final PolledBatch batch;
        private final List<T> delegate;

        ScopedList(PolledBatch batch, List<T> delegate) {
            this.batch = batch;
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
            return new ScopedIterator<>(batch, delegate.iterator());
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
        private final PolledBatch batch;
        private final Iterable<T> delegate;

        ScopedIterable(PolledBatch batch, Iterable<T> delegate) {
            this.batch = batch;
            this.delegate = delegate;
        }

        @Override
        public Iterator<T> iterator() {
            return new ScopedIterator<>(batch, delegate.iterator());
        }
    }
}
