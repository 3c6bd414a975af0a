package io.rpctrace.reactor;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.ThreadSlots;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.Scannable;
import reactor.util.context.Context;

/**
 * A subscriber between two operators that delivers every signal ({@code onSubscribe},
 * {@code onNext}, {@code onError}, {@code onComplete}) with the chain's scope current, and puts the
 * thread's own scope back after. A signal looks the thread's state up once; when the chain's scope
 * is current already (the common case: consecutive operators on one thread) that is all it costs.
 */
class ScopedSubscriber<T> implements CoreSubscriber<T>, Subscription, Scannable {
    private final CoreSubscriber<? super T> actual;
    private final Scope scope;
    private final Context context;
    private Subscription upstream;

    private ScopedSubscriber(CoreSubscriber<? super T> actual, Scope scope, Context context) {
        this.actual = actual;
        this.scope = scope;
        this.context = context;
    }

    /** The wrapper of a boundary that is not {@code Fuseable}: the boundary's subscription goes down. */
    static <T> ScopedSubscriber<T> of(CoreSubscriber<? super T> actual, Scope scope, Context context) {
        return new ScopedSubscriber<T>(actual, scope, context);
    }

    /** The wrapper of a {@code Fuseable} boundary: it goes down as a subscription that refuses fusion. */
    static <T> ScopedSubscriber<T> refusingFusion(CoreSubscriber<? super T> actual, Scope scope, Context context) {
        return new FusionRefusing<T>(actual, scope, context);
    }

    /** True when this wrapper does what a new one for {@code scope} would: restores it, and refuses fusion if asked to. */
    boolean covers(Scope scope, boolean refuseFusion) {
        return this.scope == scope && (refusesFusion() || !refuseFusion);
    }

    /** True for a fuseable boundary's wrapper ({@link FusionRefusing}). */
    boolean refusesFusion() {
        return false;
    }

    /** The subscription handed to the subscriber below: the boundary's own. */
    Subscription down(Subscription boundary) {
        return boundary;
    }

    @Override
    public Context currentContext() {
        return context;
    }

    @Override
    public void onSubscribe(Subscription s) {
        // Design note: the upstream subscription goes down as it is unless the boundary is fuseable:
        // then this object goes down (FusionRefusing: a QueueSubscription that refuses fusion, as
        // the fuseable operators below require one), so that an operator below does not fuse with
        // the boundary (polling its queue on its own thread, without this onNext). Either way
        // request and cancel run in the caller's scope.
        upstream = s;
        Subscription down = down(s);
        ThreadSlots slots = ThreadSlots.current();
        Scope previous = CurrentScope.get(slots);
        if (previous == scope) {
            actual.onSubscribe(down);
            return;
        }
        CurrentScope.set(slots, scope);
        try {
            actual.onSubscribe(down);
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
    public void request(long n) {
        upstream.request(n);
    }

    @Override
    public void cancel() {
        upstream.cancel();
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

    /**
     * A fuseable boundary's wrapper: a {@code QueueSubscription} (the fuseable operators below
     * cast their subscription to one) that answers {@code NONE} to every fusion request, as
     * reactor-core's own {@code FluxHide.SuppressFuseableSubscriber} does.
     */
    private static final class FusionRefusing<T> extends ScopedSubscriber<T> implements Fuseable.QueueSubscription<T> {
        FusionRefusing(CoreSubscriber<? super T> actual, Scope scope, Context context) {
            super(actual, scope, context);
        }

        @Override
        boolean refusesFusion() {
            return true;
        }

        @Override
        Subscription down(Subscription boundary) {
            return this;
        }

        @Override
        public int requestFusion(int requestedMode) {
            return Fuseable.NONE;
        }

        @Override
        public T poll() {
            return null;
        }

        @Override
        public int size() {
            return 0;
        }

        @Override
        public boolean isEmpty() {
            return true;
        }

        @Override
        public void clear() {
        }
    }
}
