package io.rpctrace.reactor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/** Which operators the lifter wraps (no hook installed: the publishers are the operators themselves). */
class OperatorBoundariesTest {
    private static boolean boundary(Publisher<?> publisher) {
        return OperatorBoundaries.isBoundary(publisher);
    }

    /** Another library's {@code Flux}: not assembled through the hook. */
    private static Flux<Integer> foreign() {
        return new Flux<Integer>() {
            @Override
            public void subscribe(CoreSubscriber<? super Integer> actual) {
                Flux.just(1).subscribe(actual);
            }
        };
    }

    @Test
    void synchronousOperatorsAreNotBoundaries() {
        Mono<Integer> just = Mono.just(1);
        assertFalse(boundary(just));
        assertFalse(boundary(just.map(x -> x + 1)));
        assertFalse(boundary(just.flatMap(x -> Mono.just(x))));
        assertFalse(boundary(just.doOnNext(x -> { }).filter(x -> true).switchIfEmpty(Mono.just(2))));
        assertFalse(boundary(Mono.zip(just, Mono.just(2))));
        assertFalse(boundary(Mono.defer(() -> just).onErrorResume(e -> Mono.empty()).retry(1)));
        assertFalse(boundary(Mono.fromCallable(() -> 1).then()));
        assertFalse(boundary(Flux.just(1).map(x -> x + 1).filter(x -> true)), "FluxOperator");
        assertFalse(boundary(Flux.just(1).map(x -> x).next()), "neither MonoOperator nor FluxOperator");
        assertFalse(boundary(Mono.just(1).flux().take(1)));
    }

    @Test
    void threadHopsTimersAndForeignSourcesAreBoundaries() {
        Mono<Integer> just = Mono.just(1);
        assertTrue(boundary(just.publishOn(Schedulers.immediate())));
        assertTrue(boundary(just.subscribeOn(Schedulers.immediate())));
        assertTrue(boundary(Mono.delay(Duration.ofMillis(1))));
        assertTrue(boundary(just.delayElement(Duration.ofMillis(1))));
        assertTrue(boundary(Flux.just(1, 2).delayElements(Duration.ofMillis(1))));
        assertTrue(boundary(just.timeout(Duration.ofSeconds(1))));
        assertTrue(boundary(Mono.create(sink -> sink.success(1))));
        assertTrue(boundary(Mono.fromFuture(new CompletableFuture<Integer>())));
        assertTrue(boundary(Flux.range(0, 2).parallel(2).runOn(Schedulers.immediate())));
        assertTrue(boundary(Flux.range(0, 3)), "elements pulled by a request from any thread");
    }

    @Test
    void multicastOperatorsAreBoundaries() {
        assertTrue(boundary(Mono.just(1).cache()));
        assertTrue(boundary(Flux.range(0, 2).share()));
        assertTrue(boundary(Flux.range(0, 2).replay(1)));
    }

    @Test
    void anOperatorOnAnotherLibrarysPublisherOrASinkIsABoundary() {
        Flux<Integer> foreign = foreign();
        assertTrue(boundary(foreign.map(x -> x)));
        assertTrue(boundary(foreign.next()), "an operator that is neither MonoOperator nor FluxOperator");
        assertFalse(boundary(foreign.take(1).map(x -> x)), "only the operator on the foreign source");
        assertTrue(boundary(Flux.from(subscriber -> Flux.just(1).subscribe(subscriber))));
        assertTrue(boundary(Sinks.one().asMono().map(x -> x)));
    }

    @Test
    void parentsAreReadFromTheOperatorsSourceFields() {
        assertTrue(OperatorBoundaries.readsSourceFields(), "MonoOperator, FluxOperator, MonoFromFluxOperator, FluxFromMonoOperator");
        Flux<Integer> foreign = foreign();
        assertTrue(boundary(foreign.map(x -> x)), "FluxOperator");
        assertTrue(boundary(foreign.next()), "MonoFromFluxOperator");
        assertTrue(boundary(Sinks.one().asMono().map(x -> x)), "MonoOperator");
        assertTrue(boundary(Sinks.one().asMono().flux()), "FluxFromMonoOperator on a sink");
        assertFalse(boundary(Mono.just(1).flux().take(1)));
    }
}
