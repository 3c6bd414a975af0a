package io.rpctrace.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Fuseable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.util.context.Context;

/**
 * The wrapper a boundary's subscriber gets, on its own (no agent; the chains with the packaged agent
 * are in reactor-it): which scope it restores, when it wraps, and that a fuseable boundary does not
 * fuse through it.
 */
class BoundaryWrapperTest {
    @AfterEach
    void noScopeLeftOnTheTestThread() {
        assertNull(CurrentScope.get());
    }

    /** Records each signal's scope and the subscription it was given. */
    private static final class Recorder implements CoreSubscriber<Integer> {
        final Context context;
        final List<Object> scopes = new CopyOnWriteArrayList<>();
        volatile Subscription subscription;

        Recorder(Context context) {
            this.context = context;
        }

        @Override
        public Context currentContext() {
            return context;
        }

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
            scopes.add(CurrentScope.get());
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(Integer value) {
            scopes.add(CurrentScope.get());
        }

        @Override
        public void onError(Throwable t) {
            scopes.add(t);
        }

        @Override
        public void onComplete() {
            scopes.add(CurrentScope.get());
        }
    }

    @Test
    void outsideAnyScopeNothingIsWrapped() {
        Recorder r = new Recorder(Context.empty());
        assertSame(r, new BoundaryWrapper().apply(r));
        assertSame(r, new BoundaryWrapper.Fuseable().apply(r));
    }

    @Test
    void theSubscribingThreadsScopeIsRestoredAroundEverySignalOnAnyThread() {
        Scope request = Scope.enter(null, null, false);
        Scope other = Scope.enter(null, null, false);
        Recorder r = new Recorder(Context.empty());
        CoreSubscriber<? super Integer> wrapped;
        Scope previous = CurrentScope.set(request);
        try {
            wrapped = BoundaryWrapper.wrap(r, false);
        } finally {
            CurrentScope.restore(previous);
        }
        assertSame(request, wrapped.currentContext().getOrDefault(BoundaryWrapper.CONTEXT_KEY, null),
                "the scope rides in the context to what subscribes above");
        previous = CurrentScope.set(other);   // another request's scope on the emitting thread
        try {
            Flux.range(1, 2).subscribe(wrapped);
            assertSame(other, CurrentScope.get(), "the thread's own scope is put back");
        } finally {
            CurrentScope.restore(previous);
        }
        assertEquals(List.of(request, request, request, request), r.scopes);
        assertEquals(1, request.counter(), "carrying the scope spends no id");
    }

    @Test
    void theContextsScopeWinsOverTheThreadsAndAWrapperIsNotWrappedAgain() {
        Scope request = Scope.enter(null, null, false);
        Scope other = Scope.enter(null, null, false);
        Recorder r = new Recorder(Context.of(BoundaryWrapper.CONTEXT_KEY, request));
        Scope previous = CurrentScope.set(other);
        try {
            CoreSubscriber<? super Integer> wrapped = BoundaryWrapper.wrap(r, false);
            assertTrue(wrapped instanceof ScopedSubscriber);
            assertSame(wrapped, BoundaryWrapper.wrap(wrapped, false), "a boundary handing its subscriber on");
            CoreSubscriber<? super Integer> refusing = BoundaryWrapper.wrap(wrapped, true);
            assertTrue(refusing != wrapped && refusing instanceof Fuseable.QueueSubscription,
                    "a fuseable boundary above a wrapper that lets fusion through gets one that refuses it");
            assertSame(refusing, BoundaryWrapper.wrap(refusing, false));
            Flux.just(1).subscribe(wrapped);
        } finally {
            CurrentScope.restore(previous);
        }
        assertEquals(List.of(request, request, request), r.scopes);
    }

    /**
     * A fuseable boundary's wrapper goes down as the subscription, so the subscriber below cannot fuse
     * with the boundary and take its values on another thread without {@code onNext}; a boundary that
     * is not fuseable passes its own subscription down.
     */
    @Test
    void aFuseableBoundarysWrapperRefusesFusion() {
        Scope request = Scope.enter(null, null, false);
        Recorder fused = new Recorder(Context.empty());
        Recorder plain = new Recorder(Context.empty());
        Scope previous = CurrentScope.set(request);
        try {
            Flux.range(1, 3).subscribe(BoundaryWrapper.wrap(fused, true));
            Flux.range(1, 3).subscribe(BoundaryWrapper.wrap(plain, false));
        } finally {
            CurrentScope.restore(previous);
        }
        assertEquals(Fuseable.NONE, ((Fuseable.QueueSubscription<?>) fused.subscription).requestFusion(Fuseable.ANY), "a QueueSubscription that refuses fusion");
        assertTrue(fused.subscription instanceof ScopedSubscriber);
        assertTrue(plain.subscription instanceof Fuseable.QueueSubscription, "range's own subscription");
        assertEquals(5, fused.scopes.size());
    }

    @Test
    void cancelAndRequestReachTheBoundary() {
        Scope request = Scope.enter(null, null, false);
        List<Integer> seen = new ArrayList<>();
        BaseSubscriber<Integer> one = new BaseSubscriber<Integer>() {
            @Override
            protected void hookOnSubscribe(Subscription s) {
                s.request(1);
            }

            @Override
            protected void hookOnNext(Integer value) {
                seen.add(value);
                cancel();
            }
        };
        Scope previous = CurrentScope.set(request);
        try {
            Flux.range(1, 10).subscribe(BoundaryWrapper.wrap(one, true));
        } finally {
            CurrentScope.restore(previous);
        }
        assertEquals(List.of(1), seen, "one requested, then cancelled");
    }

    /**
     * A parallel boundary's rails: the array given is often typed by the rails' own class, which
     * cannot hold a wrapper, so the wrapped rails come in a new {@code CoreSubscriber[]}; outside
     * any scope the same array goes on.
     */
    @Test
    void theRailsOfAParallelBoundaryAreWrappedInANewArray() {
        Recorder[] rails = {new Recorder(Context.empty()), new Recorder(Context.empty())};
        assertSame(rails, new RailsWrapper().apply(rails));
        Scope request = Scope.enter(null, null, false);
        Object wrapped;
        Scope previous = CurrentScope.set(request);
        try {
            wrapped = new RailsWrapper.Fuseable().apply(rails);
        } finally {
            CurrentScope.restore(previous);
        }
        assertEquals(CoreSubscriber[].class, wrapped.getClass());
        CoreSubscriber<?>[] w = (CoreSubscriber<?>[]) wrapped;
        assertEquals(2, w.length);
        for (CoreSubscriber<?> rail : w) {
            assertTrue(rail instanceof Fuseable.QueueSubscription, "a fuseable boundary's rail refuses fusion");
            assertSame(request, rail.currentContext().getOrDefault(BoundaryWrapper.CONTEXT_KEY, null));
        }
    }
}
