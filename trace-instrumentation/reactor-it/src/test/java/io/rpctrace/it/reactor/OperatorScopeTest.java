package io.rpctrace.it.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.NoInstrumentationErrors;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Each operator with the packaged agent: a call made inside it takes its id from the scope of the
 * request that built the chain (docs/model.md#rule-4: a reactive pipeline is not a hand-off), on
 * whatever thread it runs. A served request is {@code Trace.enter} ({@code request.info 0.1}); a call
 * is {@code Trace.call("op.<operator>")}, so its record's id is exactly the next of the request.
 */
@ExtendWith(NoInstrumentationErrors.class)
class OperatorScopeTest {
    private static Scheduler single;
    private AgentRecords agent;
    /** Threads the calls ran on: every scenario must leave the test thread. */
    private final List<String> threads = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void versions() {
        String expected = System.getProperty("rpctrace.it.reactor.expected");
        if (expected != null) {
            assertEquals(expected, Flux.class.getPackage().getImplementationVersion(), "reactor-core on the class path");
        }
        single = Schedulers.newSingle("it-single");
    }

    @AfterAll
    static void stop() {
        single.dispose();
    }

    @BeforeEach
    void start() {
        agent = AgentRecords.start();
    }

    /** A client call in the current scope; returns its id. */
    private String call(String operator) {
        threads.add(Thread.currentThread().getName());
        try (Span s = Trace.call("op." + operator)) {
            return s.rpcId();
        }
    }

    /** Runs {@code chain} inside a served request and returns the request's records. */
    private Records served(Supplier<Object> chain) {
        String traceId;
        try (Span req = Trace.enter(null, null)) {
            traceId = Trace.traceId();
            chain.get();
        }
        assertEquals("", Trace.traceId(), "no scope left on the test thread");
        Records records = Records.of(agent.flush()).inTrace(traceId);
        records.where(x -> x.name().startsWith("op.")).assertUniqueIds();
        records.named("request.info").single().hasRpcId("0.1");
        return records;
    }

    private void leftTheTestThread() {
        assertTrue(threads.stream().anyMatch(t -> !t.equals(Thread.currentThread().getName())), threads.toString());
    }

    @Test
    void flatMapAfterPublishOn() {
        Records r = served(() -> Mono.just(1).publishOn(Schedulers.parallel())
                .flatMap(i -> Mono.fromCallable(() -> call("flatMap"))).block(Duration.ofSeconds(5)));
        r.named("op.flatMap").single().hasRpcId("0.2");
        leftTheTestThread();
    }

    /**
     * Another library's publisher that emits on a thread of its own (an I/O library's event loop,
     * here a thread started before the request and handed the subscriber through a queue, which
     * nothing of rpctrace sees): its own {@code subscribe} is advised, so the first operator on it
     * runs in the request's scope, not in the emitting thread's.
     */
    @Test
    void aLibrarysOwnPublisherEmittingOnItsThreadReachesTheFirstOperatorInTheScope() throws Exception {
        BlockingQueue<CoreSubscriber<? super Integer>> handed = new SynchronousQueue<>();
        Thread emitter = new Thread(() -> {
            try {
                CoreSubscriber<? super Integer> subscriber = handed.take();
                Semaphore requested = new Semaphore(0);
                subscriber.onSubscribe(new Subscription() {
                    @Override
                    public void request(long n) {
                        requested.release();
                    }

                    @Override
                    public void cancel() {
                    }
                });
                requested.acquire();        // the value goes after onSubscribe has returned
                subscriber.onNext(1);
                subscriber.onComplete();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "it-foreign-emitter");
        emitter.start();
        Mono<Integer> foreign = new Mono<Integer>() {
            @Override
            public void subscribe(CoreSubscriber<? super Integer> actual) {
                try {
                    handed.put(actual);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Records r = served(() -> foreign.map(i -> call("foreign")).block(Duration.ofSeconds(5)));
        r.named("op.foreign").single().hasRpcId("0.2");
        assertEquals(List.of("it-foreign-emitter"), threads);
        emitter.join(5000);
    }

    @Test
    void publishOnSpendsNoId() {
        Records r = served(() -> Flux.range(1, 3).publishOn(single).map(i -> call("publishOn"))
                .collectList().block(Duration.ofSeconds(5)));
        assertEquals(List.of("0.2", "0.3", "0.4"), r.named("op.publishOn").rpcIds());
        leftTheTestThread();
    }

    @Test
    void subscribeOnRunsTheSourceInTheScope() {
        Records r = served(() -> Mono.fromCallable(() -> call("subscribeOn")).subscribeOn(Schedulers.boundedElastic())
                .block(Duration.ofSeconds(5)));
        r.named("op.subscribeOn").single().hasRpcId("0.2");
        leftTheTestThread();
    }

    @Test
    void delayElements() {
        Records r = served(() -> Flux.just(1, 2).delayElements(Duration.ofMillis(5)).map(i -> call("delayElements"))
                .blockLast(Duration.ofSeconds(5)));
        assertEquals(List.of("0.2", "0.3"), r.named("op.delayElements").rpcIds());
        leftTheTestThread();
    }

    @Test
    void monoZipOfTwoThreads() {
        Records r = served(() -> Mono.zip(
                Mono.fromCallable(() -> call("zip")).subscribeOn(Schedulers.boundedElastic()),
                Mono.delay(Duration.ofMillis(20)).map(x -> call("zip"))).block(Duration.ofSeconds(5)));
        Records zip = r.named("op.zip");
        assertEquals(2, zip.size(), zip.toString());
        assertTrue(zip.rpcIds().containsAll(List.of("0.2", "0.3")), r.toString());
        leftTheTestThread();
    }

    @Test
    void parallelRails() {
        Records r = served(() -> Flux.range(0, 8).parallel(4).runOn(Schedulers.parallel()).map(i -> call("parallel"))
                .sequential().collectList().block(Duration.ofSeconds(5)));
        Records rails = r.named("op.parallel");
        assertEquals(8, rails.size(), rails.toString());
        assertEquals(List.of("0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9"),
                rails.rpcIds().stream().sorted(io.rpctrace.testing.RpcIds::compare).collect(java.util.stream.Collectors.toList()));
        leftTheTestThread();
    }

    @Test
    void retryResubscribesInTheScope() {
        AtomicInteger attempts = new AtomicInteger();
        Records r = served(() -> Mono.delay(Duration.ofMillis(2)).then(Mono.fromCallable(() -> {
            call("retry");
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("attempt " + attempts.get());
            }
            return attempts.get();
        })).retry(2).block(Duration.ofSeconds(5)));
        assertEquals(List.of("0.2", "0.3", "0.4"), r.named("op.retry").rpcIds());
        leftTheTestThread();
    }

    @Test
    void doOnNextAndALogRecord() {
        Records r = served(() -> Flux.just("a").publishOn(single).doOnNext(s -> {
            call("doOnNext");
            Trace.info("reactor_it", "inside doOnNext");
        }).blockLast(Duration.ofSeconds(5)));
        r.named("op.doOnNext").single().hasRpcId("0.2");
        r.named("log.info").single().hasRpcId("0.2").has("x_msg", "inside doOnNext");
        leftTheTestThread();
    }

    @Test
    void aChainBuiltInOneRequestAndSubscribedInAnotherTakesTheSubscribersScope() {
        Mono<String> shared = Mono.just(1).publishOn(single).map(i -> call("shared"));
        Records r = served(() -> shared.block(Duration.ofSeconds(5)));
        r.named("op.shared").single().hasRpcId("0.2");
        Records again = served(() -> shared.block(Duration.ofSeconds(5)));
        again.named("op.shared").single().hasRpcId("0.2");
        assertNotEquals(r.traceIds(), again.traceIds());
    }

    @Test
    void aCachedMonoDeliversToEachRequestInItsOwnScope() throws Exception {
        // cache() is a boundary: one timer signal reaches the subscribers of two requests
        Mono<Long> cached = Mono.delay(Duration.ofMillis(50)).cache();
        java.util.concurrent.CompletableFuture<String> inA;
        String traceA;
        String traceB;
        try (Span a = Trace.enter(null, null)) {
            traceA = Trace.traceId();
            inA = cached.map(x -> call("cache")).toFuture();
        }
        try (Span b = Trace.enter(null, null)) {
            traceB = Trace.traceId();
            cached.map(x -> call("cache")).block(Duration.ofSeconds(5));
        }
        inA.get(5, java.util.concurrent.TimeUnit.SECONDS);
        Records all = Records.of(agent.flush());
        all.inTrace(traceA).named("op.cache").single().hasRpcId("0.2");
        all.inTrace(traceB).named("op.cache").single().hasRpcId("0.2");
        leftTheTestThread();
    }

    @Test
    void outsideARequestACallHasATraceOfItsOwnAndTheSchedulerKeepsNoScope() throws Exception {
        served(() -> Flux.range(1, 2).publishOn(single).map(i -> call("before")).blockLast(Duration.ofSeconds(5)));
        // the same scheduler thread afterwards, outside any request: no scope left behind
        String seen = Mono.fromCallable(Trace::traceId).subscribeOn(single).block(Duration.ofSeconds(5));
        assertEquals("", seen);
        String onSingle = Mono.just(1).publishOn(single).map(i -> Trace.traceId()).block(Duration.ofSeconds(5));
        assertEquals("", onSingle);
    }
}
