package io.rpctrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;

/** A task submitted with no scope runs with none, on a pool thread that served a request before. */
class NoLeakTest {
    @Test
    void threadPoolWorkerForgetsThePreviousTask() throws Exception {
        ExecutorService one = Executors.newSingleThreadExecutor();
        try {
            try (Span req = Trace.enter(null, null)) {
                assertEquals("0.2.1", one.submit(Trace::rpcId).get());   // the worker is created here
            }
            assertEquals("", one.submit(Trace::rpcId).get());
            // A task that leaves a scope behind (enters and never closes) does not leak either.
            one.submit(() -> Trace.enter(null, null)).get();
            assertEquals("", one.submit(Trace::rpcId).get());
            one.execute(() -> Trace.enter(null, null));
            assertEquals("", one.submit(Trace::rpcId).get());
        } finally {
            one.shutdown();
        }
    }

    @Test
    void forkJoinWorkerForgetsThePreviousTask() throws Exception {
        ForkJoinPool pool = new ForkJoinPool(1);
        try {
            try (Span req = Trace.enter(null, null)) {
                assertEquals("0.2.1", pool.submit(Trace::rpcId).get());
            }
            assertEquals("", pool.submit(Trace::rpcId).get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void completableFutureOutsideAScopeRunsWithNone() throws Exception {
        try (Span req = Trace.enter(null, null)) {
            assertEquals("0.2.1", CompletableFuture.supplyAsync(Trace::rpcId).get());
        }
        assertEquals("", CompletableFuture.supplyAsync(Trace::rpcId).get());
    }

    @Test
    void aRequestThatCreatesAThreadDoesNotOwnIt() throws Exception {
        // The pool's worker thread is started inside the request, but belongs to the pool.
        ExecutorService lazy = Executors.newCachedThreadPool();
        try {
            try (Span req = Trace.enter(null, null)) {
                lazy.submit(() -> { }).get();
            }
            assertEquals("", lazy.submit(Trace::rpcId).get());
        } finally {
            lazy.shutdown();
        }
    }
}
