package io.rpctrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Propagation does not change what the application sees: tasks are not wrapped, so pools
 * hand the application its own objects back.
 */
class AssociationEdgeCasesTest {
    /** A pool whose only worker is blocked until {@link #release()}. */
    private static final class Blocked {
        final ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        final CountDownLatch gate = new CountDownLatch(1);

        Blocked() throws InterruptedException {
            CountDownLatch started = new CountDownLatch(1);
            pool.execute(new Named(() -> {
                started.countDown();
                await(gate);
            }));
            started.await();
        }

        void release() {
            gate.countDown();
        }
    }

    @Test
    void removeFindsTheSubmittedTask() throws Exception {
        Blocked b = new Blocked();
        try (Span req = Trace.enter(null, null)) {
            Named queued = new Named(() -> { });
            b.pool.execute(queued);
            assertTrue(b.pool.remove(queued), "remove(task) must find the task the application submitted");
        } finally {
            b.release();
            b.pool.shutdown();
        }
    }

    @Test
    void shutdownNowReturnsTheSubmittedTasks() throws Exception {
        Blocked b = new Blocked();
        Named queued = new Named(() -> { });
        try (Span req = Trace.enter(null, null)) {
            b.pool.execute(queued);
        }
        List<Runnable> pending = b.pool.shutdownNow();
        b.release();
        assertEquals(1, pending.size());
        assertSame(queued, pending.get(0));
    }

    @Test
    void beforeAndAfterExecuteSeeTheFutureAndTheScope() throws Exception {
        AtomicReference<String> before = new AtomicReference<>();
        AtomicReference<Object> afterTask = new AtomicReference<>();
        AtomicReference<String> afterScope = new AtomicReference<>();
        CountDownLatch afterDone = new CountDownLatch(1);
        ThreadPoolExecutor pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()) {
            @Override
            protected void beforeExecute(Thread t, Runnable r) {
                // No super call: the scope must be there anyway.
                before.set(Trace.rpcId());
            }

            @Override
            protected void afterExecute(Runnable r, Throwable t) {
                super.afterExecute(r, t);
                afterTask.set(r);
                afterScope.set(Trace.rpcId());
                afterDone.countDown();
            }
        };
        try {
            Future<String> f;
            try (Span req = Trace.enter(null, null)) {
                f = pool.submit(Trace::rpcId);
            }
            assertEquals("0.2.1", f.get());
            afterDone.await();
            assertEquals("0.2.1", before.get());
            assertSame(f, afterTask.get(), "afterExecute receives the application's FutureTask");
            assertEquals("0.2.1", afterScope.get());
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void oneRunnableSubmittedByTwoRequestsRunsInEach() throws Exception {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());
        try {
            Runnable shared = AssociationEdgeCasesTest::record;    // one instance for every evaluation
            Future<?> a;
            Future<?> b;
            String ta;
            String tb;
            try (Span req = Trace.enter(null, null)) {
                ta = Trace.traceId();
                a = pool.submit(shared);
            }
            try (Span req = Trace.enter(null, null)) {
                tb = Trace.traceId();
                b = pool.submit(shared);
            }
            a.get();
            b.get();
            assertTrue(SEEN.contains(ta + " 0.2.1") && SEEN.contains(tb + " 0.2.1"), SEEN.toString());
        } finally {
            pool.shutdown();
        }
    }

    private static final List<String> SEEN = new java.util.concurrent.CopyOnWriteArrayList<>();

    private static void record() {
        SEEN.add(Trace.traceId() + " " + Trace.rpcId());
    }

    private static void await(CountDownLatch l) {
        try {
            l.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final class Named implements Runnable {
        private final Runnable body;

        Named(Runnable body) {
            this.body = body;
        }

        @Override
        public void run() {
            body.run();
        }
    }
}
