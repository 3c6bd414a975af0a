package io.rpctrace.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/** The lifter on its own (no agent): signals are delivered in the subscription's scope, on any thread. */
class ScopeLifterTest {
    private static Scheduler single;

    @BeforeAll
    static void install() {
        ScopeLifter.install();
        single = Schedulers.newSingle("lifter-test");
    }

    @AfterAll
    static void uninstall() {
        ScopeLifter.uninstall();
        single.dispose();
    }

    @AfterEach
    void noScopeLeftOnTheTestThread() {
        assertNull(CurrentScope.get());
    }

    @Test
    void publishOnDeliversInTheSubscribersScope() {
        Scope request = Scope.enter(null, null, false);
        List<Scope> seen = new CopyOnWriteArrayList<>();
        List<String> threads = new CopyOnWriteArrayList<>();
        Scope previous = CurrentScope.set(request);
        try {
            Flux.range(1, 3).publishOn(single).map(i -> {
                seen.add(CurrentScope.get());
                threads.add(Thread.currentThread().getName());
                return i;
            }).blockLast(Duration.ofSeconds(5));
        } finally {
            CurrentScope.restore(previous);
        }
        assertEquals(3, seen.size());
        seen.forEach(s -> assertSame(request, s));
        threads.forEach(t -> assertNotEquals(Thread.currentThread().getName(), t));
        assertEquals(1, request.counter(), "carrying the scope spends no id");
    }

    @Test
    void aTimerSignalRunsInTheScopeThatSubscribed() {
        Scope request = Scope.enter(null, null, false);
        Scope previous = CurrentScope.set(request);
        Scope seen;
        try {
            seen = Mono.delay(Duration.ofMillis(5), single).map(x -> CurrentScope.get()).block(Duration.ofSeconds(5));
        } finally {
            CurrentScope.restore(previous);
        }
        assertSame(request, seen);
    }

    @Test
    void twoChainsInterleavedOnOneThreadKeepTheirOwnScopes() throws Exception {
        Scope a = Scope.enter(null, null, false);
        Scope b = Scope.enter(null, null, false);
        List<String> wrong = new CopyOnWriteArrayList<>();
        Flux<Integer> fa;
        Flux<Integer> fb;
        Scope previous = CurrentScope.set(a);
        try {
            fa = Flux.range(0, 200).publishOn(single, 1).doOnNext(i -> {
                if (CurrentScope.get() != a) {
                    wrong.add("a@" + i);
                }
            });
            Mono<List<Integer>> ma = fa.collectList().cache();
            ma.subscribe();
            CurrentScope.set(b);
            fb = Flux.range(0, 200).publishOn(single, 1).doOnNext(i -> {
                if (CurrentScope.get() != b) {
                    wrong.add("b@" + i);
                }
            });
            List<Integer> lb = fb.collectList().block(Duration.ofSeconds(5));
            CurrentScope.set(a);
            assertEquals(200, ma.block(Duration.ofSeconds(5)).size());
            assertEquals(200, lb.size());
        } finally {
            CurrentScope.restore(previous);
        }
        assertEquals(List.of(), wrong);
    }

    @Test
    void theContextCarriesTheScopeToAnInnerChainSubscribedOnAnotherThread() {
        Scope request = Scope.enter(null, null, false);
        Scope previous = CurrentScope.set(request);
        Scope seen;
        try {
            // the inner Mono is subscribed from the single thread, which has no scope of its own
            seen = Mono.just(1).publishOn(single).flatMap(i -> {
                Scope before = CurrentScope.set(null);
                try {
                    return Mono.just(2).map(x -> CurrentScope.get());
                } finally {
                    CurrentScope.restore(before);
                }
            }).block(Duration.ofSeconds(5));
        } finally {
            CurrentScope.restore(previous);
        }
        assertSame(request, seen);
    }

    @Test
    void aCachedMonoDeliversToEachSubscriberInItsOwnScope() {
        Scope a = Scope.enter(null, null, false);
        Scope b = Scope.enter(null, null, false);
        Mono<Long> cached = Mono.delay(Duration.ofMillis(20), single).cache();
        List<Scope> seenByA = new CopyOnWriteArrayList<>();
        Scope previous = CurrentScope.set(a);
        try {
            Mono<Long> inA = cached.doOnNext(x -> seenByA.add(CurrentScope.get()));
            inA.subscribe();
            CurrentScope.set(b);
            // subscribed while a's delay is in flight: the value arrives on a's timer signal
            Scope seenByB = cached.map(x -> CurrentScope.get()).block(Duration.ofSeconds(5));
            assertSame(b, seenByB);
        } finally {
            CurrentScope.restore(previous);
        }
        assertEquals(List.of(a), seenByA);
    }

    @Test
    void anotherLibrarysPublisherEmittingOnItsOwnThreadReachesTheOperatorAfterTheFirstInScope() {
        Scope request = Scope.enter(null, null, false);
        Scope other = Scope.enter(null, null, false);
        Flux<Integer> foreign = new Flux<Integer>() {
            @Override
            public void subscribe(reactor.core.CoreSubscriber<? super Integer> actual) {
                // as an I/O library's publisher (not assembled through Reactor's hooks): it emits
                // from its own thread, which is in another request's scope at that moment
                single.schedule(() -> {
                    Scope before = CurrentScope.set(other);
                    try {
                        actual.onSubscribe(reactor.core.publisher.Operators.emptySubscription());
                        actual.onNext(1);
                        actual.onNext(2);
                        actual.onComplete();
                    } finally {
                        CurrentScope.restore(before);
                    }
                });
            }
        };
        List<Scope> inMap = new CopyOnWriteArrayList<>();
        List<Scope> after = new CopyOnWriteArrayList<>();
        Scope previous = CurrentScope.set(request);
        try {
            foreign.map(i -> {
                inMap.add(CurrentScope.get());
                return i + 1;
            }).filter(i -> true).doOnNext(i -> after.add(CurrentScope.get())).blockLast(Duration.ofSeconds(5));
        } finally {
            CurrentScope.restore(previous);
        }
        assertEquals(List.of(other, other), inMap, "the first operator's own function: the emitting thread's scope");
        assertEquals(List.of(request, request), after);
    }

    @Test
    void outsideAnyScopeNothingIsWrapped() {
        List<Object> seen = new CopyOnWriteArrayList<>();
        Flux.range(1, 2).publishOn(single).doOnNext(i -> seen.add(String.valueOf(CurrentScope.get())))
                .blockLast(Duration.ofSeconds(5));
        assertEquals(List.of("null", "null"), seen);
        assertNull(ScopeLifter.lift(null, new reactor.core.publisher.BaseSubscriber<Object>() { })
                .currentContext().getOrDefault(ScopeLifter.CONTEXT_KEY, null));
    }

    /**
     * The hook takes each operator as an {@code Object} and casts none that it does not lift (a
     * cast to the interface {@code Publisher} per operator was the hook's largest cost on JDK 17,
     * docs/RATIONALE.md): its {@code apply(Object)} is its own method, not a bridge that casts to
     * {@code Publisher} before the real one, as reactor-core's {@code LiftFunction}, the hook
     * before, has.
     */
    @Test
    void theHookCastsNoOperatorItDoesNotLift() throws Exception {
        assertFalse(ScopeLifter.hook().getClass().getMethod("apply", Object.class).isBridge());
        Mono<Integer> map = Mono.just(1).map(i -> i + 1);
        assertSame(map, ScopeLifter.hook().apply(map), "a synchronous operator is not lifted");
        Mono<Integer> foreign = new Mono<Integer>() {   // another library's publisher: a boundary
            @Override
            public void subscribe(reactor.core.CoreSubscriber<? super Integer> actual) {
                Mono.just(1).subscribe(actual);
            }
        };
        assertEquals("MonoLift", ScopeLifter.hook().apply(foreign).getClass().getSimpleName(), "a boundary is");
    }

    /**
     * The chain's scope rides next to Reactor's context, not in it: a {@code contextWrite} above a
     * boundary makes the Reactor context it makes without the agent (one key: {@code Context1},
     * not {@code Context2}), and reads both the scope and its own key (docs/RATIONALE.md).
     */
    @Test
    void aContextWrittenAboveABoundaryKeepsItsSize() {
        Scope request = Scope.enter(null, null, false);
        Scope previous = CurrentScope.set(request);
        ContextView seen;
        try {
            seen = Mono.deferContextual(Mono::just).contextWrite(Context.of("a", 1)).publishOn(single)
                    .block(Duration.ofSeconds(5));
        } finally {
            CurrentScope.restore(previous);
        }
        assertSame(request, seen.getOrDefault(ScopeLifter.CONTEXT_KEY, null));
        assertEquals(Integer.valueOf(1), seen.get("a"));
        assertEquals(2, seen.size());
        assertTrue(seen instanceof ScopedContext, seen.getClass().getName());
        assertEquals(Context.of("a", 1).getClass(), ((ScopedContext) seen).inner().getClass());
    }
}
