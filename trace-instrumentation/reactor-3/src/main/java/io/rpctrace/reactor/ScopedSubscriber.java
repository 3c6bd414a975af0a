package io.rpctrace.reactor;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.util.context.Context;

/**
 * A subscriber between two operators that delivers every signal ({@code onSubscribe},
 * {@code onNext}, {@code onError}, {@code onComplete}) with the chain's scope current, and puts the thread's own scope back after. When that scope is current
 * already (the common case: consecutive operators on one thread) a signal costs one thread-local
 * read.
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
        Scope previous = CurrentScope.get();
        if (previous == scope) {
            actual.onSubscribe(s);
            return;
        }
        CurrentScope.set(scope);
        try {
            actual.onSubscribe(s);
        } finally {
            CurrentScope.restore(previous);
        }
    }

    @Override
    public void onNext(T t) {
        Scope previous = CurrentScope.get();
        if (previous == scope) {
            actual.onNext(t);
            return;
        }
        CurrentScope.set(scope);
        try {
            actual.onNext(t);
        } finally {
            CurrentScope.restore(previous);
        }
    }

    @Override
    public void onError(Throwable t) {
        Scope previous = CurrentScope.get();
        if (previous == scope) {
            actual.onError(t);
            return;
        }
        CurrentScope.set(scope);
        try {
            actual.onError(t);
        } finally {
            CurrentScope.restore(previous);
        }
    }

    @Override
    public void onComplete() {
        Scope previous = CurrentScope.get();
        if (previous == scope) {
            actual.onComplete();
            return;
        }
        CurrentScope.set(scope);
        try {
            actual.onComplete();
        } finally {
            CurrentScope.restore(previous);
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
