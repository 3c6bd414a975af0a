package io.rpctrace.context;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * Rule 4 with lazy numbering (docs/model.md#rule-4): a child scope takes its number from its
 * parent when it first needs its prefix, so a task that writes nothing takes no id.
 */
class LazyChildScopeTest {
    private static final String TID = "4bf92f3577b34da6a3ce929d0e0e4736";

    @Test
    void aChildThatWritesNothingTakesNoNumber() {
        Scope a = Scope.enter(TID, null, false);
        Scope idle1 = a.child();
        Scope idle2 = a.child().child();
        assertFalse(idle1.numbered());
        assertFalse(idle2.numbered());
        assertEquals("0.2", a.nextCallId());
        assertEquals("0.3", a.nextCallId());
        assertEquals("0.3", a.currentId());
        assertTrue(idle1.traceId().equals(TID) && idle2.traceId().equals(TID));
        assertFalse(idle1.numbered(), "reading the trace id takes no number");
    }

    @Test
    void aChildThatWritesGetsItsOwnPrefixInTheOrderOfFirstUse() {
        Scope a = Scope.enter(TID, null, false);
        Scope first = a.child();
        Scope second = a.child();
        assertEquals("0.2.2", second.nextCallId(), "the second task wrote first: it is 0.2");
        assertEquals("0.3", a.nextCallId());
        assertEquals("0.4.1", first.currentId(), "a log record in the first task numbers it now");
        assertEquals("0.4.2", first.nextCallId());
        assertEquals("0.2.3", second.nextCallId(), "a child keeps its number");
        assertEquals("0.5", a.nextCallId());
    }

    @Test
    void aGrandchildNumbersItsParentFirst() {
        Scope a = Scope.enter(TID, "0.7", false);
        Scope child = a.child();
        Scope grandchild = child.child();
        assertEquals("0.7.2", a.nextCallId());
        assertEquals("0.7.3.2.2", grandchild.nextCallId());
        assertEquals("0.7.3", child.prefix());
        assertEquals("0.7.3.3", child.nextCallId());
        assertEquals("0.7.4", a.nextCallId());
    }

    @Test
    void aRootScopesLazyChildIsStillZeroOne() {
        Scope root = Scope.newRoot();
        Scope span = root.child();
        assertEquals("0.1", span.prefix());
        assertEquals("0.1.2", span.nextCallId());
    }

    /** One child first used by 8 threads at once: one prefix for all, never a repeated id. */
    @Test
    void concurrentFirstUseOfOneChildAgreesOnItsPrefix() throws Exception {
        for (int round = 0; round < 200; round++) {
            Scope a = Scope.enter(TID, null, false);
            Scope task = a.child();
            Set<String> prefixes = ConcurrentHashMap.newKeySet();
            Set<String> calls = ConcurrentHashMap.newKeySet();
            run(8, () -> {
                prefixes.add(task.prefix());
                calls.add(task.nextCallId());
            });
            assertEquals(Set.of("0.2"), prefixes, "round " + round);
            assertEquals(8, calls.size(), calls.toString());
            assertEquals("0.3", a.nextCallId(), "round " + round + ": the race left a gap");
        }
    }

    /**
     * The shape of a traced method that hands two lookups to a pool (the demo's {@code place()}):
     * the method's scope is first needed by its two tasks at once, on two threads. It is the
     * parent's next number, 0.2, however the race goes, and the tasks are 0.2.2 and 0.2.3.
     */
    @Test
    void twoTasksNumberingTheirParentAtOnceLeaveNoGap() throws Exception {
        for (int round = 0; round < 500; round++) {
            Scope served = Scope.enter(TID, null, false);
            Scope method = served.child();
            Scope first = method.child();
            Scope second = method.child();
            Set<String> tasks = ConcurrentHashMap.newKeySet();
            CountDownLatch ready = new CountDownLatch(2);
            CountDownLatch go = new CountDownLatch(1);
            Thread one = new Thread(() -> tasks.add(await(ready, go, first).prefix()));
            Thread two = new Thread(() -> tasks.add(await(ready, go, second).prefix()));
            one.start();
            two.start();
            ready.await();
            go.countDown();
            one.join();
            two.join();
            assertEquals("0.2", method.prefix(), "round " + round);
            assertEquals(Set.of("0.2.2", "0.2.3"), tasks, "round " + round);
            assertEquals("0.3", served.nextCallId(), "round " + round + ": the race left a gap");
        }
    }

    private static Scope await(CountDownLatch ready, CountDownLatch go, Scope s) {
        ready.countDown();
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return s;
    }

    /**
     * Children made, used and left idle on many threads while the parent makes calls: the
     * numbers taken from the parent are exactly 2..N, no gap, none twice.
     */
    @Test
    void parallelChildrenAndCallsLeaveNoGap() throws Exception {
        Scope a = Scope.enter(TID, null, false);
        int perThread = 10_000;
        int threads = 8;
        int[][] taken = new int[threads][perThread * 2];
        int[] next = new int[threads];
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int me = t;
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < perThread; i++) {
                    a.child();                                      // a task that writes nothing
                    Scope c = a.child();
                    String p = c.prefix();                          // a task that writes
                    taken[me][next[me]++] = Integer.parseInt(p.substring(p.lastIndexOf('.') + 1));
                    taken[me][next[me]++] = a.nextCall();           // a call of the parent
                }
            });
            workers.add(w);
            w.start();
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        BitSet seen = new BitSet();
        for (int[] mine : taken) {
            for (int n : mine) {
                assertFalse(seen.get(n), "number " + n + " taken twice");
                seen.set(n);
            }
        }
        int total = threads * perThread * 2;
        assertEquals(2, seen.nextSetBit(0));
        assertEquals(total, seen.cardinality());
        assertEquals(total + 1, seen.length() - 1, "no gaps: 0.2 .. 0." + (total + 1));
    }

    private static void run(int threads, Runnable body) throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                body.run();
            });
            workers.add(w);
            w.start();
        }
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
    }
}
