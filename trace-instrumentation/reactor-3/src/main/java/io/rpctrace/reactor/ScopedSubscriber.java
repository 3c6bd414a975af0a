package io.rpctrace.reactor;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.ThreadSlots;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.util.context.Context;

/**
 * A subscriber between two operators that delivers every signal ({@code onSubscribe},
 * {@code onNext}, {@code onError}, {@code onComplete}) with the chain's scope current, and puts the
 * thread's own scope back after. A signal looks the thread's state up once; when the chain's scope
 * is current already (the common case: consecutive operators on one thread) that is all it costs.
 */
final class ScopedSubscriber<T> implements CoreSubscriber<T>, Scannable {
    private final CoreSubscriber<? super T> actual;
    private final Scope scope;
    private final Context context;
    private Subscription upstream;

    ScopedSubscriber(CoreSubscriber<? super T> actual, Scope scope, Context context) {
        this.actual = actual;
        this.scope = scope;
        this.context = context;
    }

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        // Design note: the upstream subscription goes down as it is, not this object: a fuseable
        // operator downstream casts it to QueueSubscription (Reactor's lift puts a fusion-suppressing
        // subscription there for it). So request and cancel run in the caller's scope.
        upstream = s;
        ThreadSlots slots = ThreadSlots.current();
        Scope previous = CurrentScope.get(slots);
        if (previous == scope) {
            actual.onSubscribe(s);
            return;
        }
        CurrentScope.set(slots, scope);
        try {
            actual.onSubscribe(s);
        } finally {
            CurrentScope.set(slots, previous);
        }
    }

    @Override
    public void onNext(T t) {
        ThreadSlots slots = ThreadSlots.current();
        Scope previous = CurrentScope.get(slots);
        if (previous == scope) {
            actual.onNext(t);
            return;
        }
        CurrentScope.set(slots, scope);
        try {
            actual.onNext(t);
        } finally {
            CurrentScope.set(slots, previous);
        }
    }

    @Override
    public void onError(Throwable t) {
        ThreadSlots slots = ThreadSlots.current();
        Scope previous = CurrentScope.get(slots);
        if (previous == scope) {
            actual.onError(t);
            return;
        }
        CurrentScope.set(slots, scope);
        try {
            actual.onError(t);
        } finally {
            CurrentScope.set(slots, previous);
        }
    }

    @Override
    public void onComplete() {
        ThreadSlots slots = ThreadSlots.current();
        Scope previous = CurrentScope.get(slots);
        if (previous == scope) {
            actual.onComplete();
            return;
        }
        CurrentScope.set(slots, scope);
        try {
            actual.onComplete();
        } finally {
            CurrentScope.set(slots, previous);
        }
    }

    @Override
    public Object scanUnsafe(Attr key) {
        if (key == Attr.PARENT) {
            return upstream;
        }
        if (key == Attr.ACTUAL) {
            return actual;
        }
        return null;
    }

    @Override
    public String toString() {
        return "ScopedSubscriber{" + actual + '}';
    }
}
