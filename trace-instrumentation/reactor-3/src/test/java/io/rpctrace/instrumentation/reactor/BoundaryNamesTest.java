package io.rpctrace.instrumentation.reactor;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * Which publishers' {@code subscribe} the agent advises: reactor-core's boundaries by name, another
 * library's {@code Flux}/{@code Mono} by its supertypes; never a synchronous operator or a base class.
 */
class BoundaryNamesTest {
    private static final ElementMatcher<TypeDescription> MATCHER = new BoundaryInstrumentation().typeMatcher();

    private static boolean boundary(Object publisher) {
        return MATCHER.matches(TypeDescription.ForLoadedType.of(publisher.getClass()));
    }

    /** Another library's {@code Flux}. */
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
        assertFalse(boundary(Flux.just(1, 2).delayElements(Duration.ofMillis(1))), "concatMap: its inner Mono.delay is the boundary");
        assertTrue(boundary(Flux.just(1, 2)), "fromArray: elements pulled by a request from any thread");
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
    void anotherLibrarysPublisherAndSinksAreBoundariesAndNotTheOperatorsOnThem() {
        Flux<Integer> foreign = foreign();
        assertTrue(boundary(foreign), "matched by its supertypes");
        assertFalse(boundary(foreign.map(x -> x)), "the operator on it: the foreign publisher restores the scope itself");
        assertTrue(boundary(Flux.from(subscriber -> Flux.just(1).subscribe(subscriber))));
        assertTrue(boundary(Sinks.one().asMono()));
        assertTrue(boundary(Sinks.many().unicast().onBackpressureBuffer().asFlux()));
    }

    @Test
    void theBasesEveryOperatorExtendsAreNotBoundaries() throws Exception {
        for (String base : new String[] {"Flux", "Mono", "ParallelFlux", "ConnectableFlux", "FluxOperator",
                "MonoOperator", "InternalFluxOperator", "InternalMonoOperator"}) {
            Class<?> type = Class.forName("reactor.core.publisher." + base);
            assertFalse(MATCHER.matches(TypeDescription.ForLoadedType.of(type)), base);
        }
        assertFalse(BoundaryNames.isBoundary("reactor.core.publisher.FluxMap$MapSubscriber"), "nested: its outer class decides");
        assertTrue(BoundaryNames.isBoundary("reactor.core.publisher.FluxPublishOn$PublishOnSubscriber"));
        assertFalse(BoundaryNames.isBoundary("reactor.core.scheduler.Schedulers"));
    }

    /** The methods advised: a boundary's subscription methods, a parallel boundary's rails too. */
    @Test
    void theSubscriptionMethodsOfEachShapeAreAdvised() throws Exception {
        assertTrue(advised(Class.forName("reactor.core.publisher.FluxPublishOn"), "subscribeOrReturn", BoundaryInstrumentation.SUBSCRIBE));
        assertTrue(advised(Class.forName("reactor.core.publisher.MonoCreate"), "subscribe", BoundaryInstrumentation.SUBSCRIBE));
        assertTrue(advised(Class.forName("reactor.core.publisher.ParallelRunOn"), "subscribe", BoundaryInstrumentation.SUBSCRIBE_RAILS));
        assertFalse(advised(Class.forName("reactor.core.publisher.ParallelRunOn"), "subscribe", BoundaryInstrumentation.SUBSCRIBE));
        assertFalse(advised(Class.forName("reactor.core.publisher.Flux"), "subscribe", BoundaryInstrumentation.SUBSCRIBE), "abstract");
    }

    /** True when {@code matcher} selects a method named {@code name} that {@code type} declares. */
    private static boolean advised(Class<?> type, String name, ElementMatcher<? super MethodDescription> matcher) {
        for (MethodDescription m : TypeDescription.ForLoadedType.of(type).getDeclaredMethods()) {
            if (m.getName().equals(name) && matcher.matches(m)) {
                return true;
            }
        }
        return false;
    }
}
