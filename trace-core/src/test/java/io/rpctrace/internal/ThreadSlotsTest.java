package io.rpctrace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadSlotsTest {
    private static final ThreadSlot<StringBuilder> BUILDER = new ThreadSlot<StringBuilder>() {
        @Override
        protected StringBuilder initialValue() {
            return new StringBuilder();
        }
    };
    private static final ThreadSlot<String> PLAIN = new ThreadSlot<>();

    @Test
    void eachThreadHasItsOwnValues() throws Exception {
        StringBuilder mine = BUILDER.get();
        assertSame(mine, BUILDER.get(), "made once per thread");
        PLAIN.set("main");
        AtomicReference<Object[]> other = new AtomicReference<>();
        // made while this thread has state: nothing of it is inherited
        Thread t = new Thread(() -> other.set(new Object[] {BUILDER.get(), PLAIN.get(), ThreadSlots.current()}));
        t.start();
        t.join();
        assertEquals(false, other.get()[2] == ThreadSlots.current(), "another thread's own state");
        assertEquals(false, other.get()[0] == mine, "another thread's initial value");
        assertNull(other.get()[1], "another thread's plain slot is empty");
        assertEquals("main", PLAIN.get());
        PLAIN.set(null);
        assertNull(PLAIN.get());
    }

    /**
     * Two live threads whose ids fall on the same entry of the table of recent threads: each keeps
     * its own state, the first keeps the entry; once it has ended, a third thread on that entry
     * takes it.
     */
    @Test
    void threadsSharingAnEntryOfTheTableKeepTheirOwnState() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch firstReady = new java.util.concurrent.CountDownLatch(1);
        AtomicReference<Object[]> first = new AtomicReference<>();
        Thread a = onFreeEntry(() -> {
            PLAIN.set("a");
            first.set(new Object[] {ThreadSlots.current(), ThreadSlots.cached(Thread.currentThread())});
            firstReady.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            first.set(new Object[] {first.get()[0], first.get()[1], ThreadSlots.current(), PLAIN.get()});
        });
        a.start();
        firstReady.await();
        assertEquals(true, first.get()[1], "an empty entry is taken");

        AtomicReference<Object[]> second = new AtomicReference<>();
        Thread b = sameEntryAs(a, () -> {
            PLAIN.set("b");
            second.set(new Object[] {ThreadSlots.current(), ThreadSlots.current(), PLAIN.get(),
                    ThreadSlots.cached(Thread.currentThread())});
        });
        b.start();
        b.join();
        assertEquals(false, second.get()[0] == first.get()[0], "its own state, not the entry's");
        assertSame(second.get()[0], second.get()[1]);
        assertEquals("b", second.get()[2]);
        assertEquals(false, second.get()[3], "a live thread's entry is not taken");
        assertEquals(true, ThreadSlots.cached(a));

        release.countDown();
        a.join();
        assertSame(first.get()[0], first.get()[2], "the first thread's state is still its own");
        assertEquals("a", first.get()[3]);

        AtomicReference<Object> third = new AtomicReference<>();
        Thread c = sameEntryAs(a, () -> third.set(ThreadSlots.cached(Thread.currentThread()) ? "cached"
                : ThreadSlots.current() != null && ThreadSlots.cached(Thread.currentThread()) ? "taken" : "not taken"));
        c.start();
        c.join();
        assertEquals("taken", third.get(), "an ended thread's entry is taken");
    }

    /** The table of recent threads holds their state weakly: what an ended thread kept goes with it. */
    @Test
    void anEndedThreadsStateIsNotKeptAlive() throws Exception {
        AtomicReference<java.lang.ref.WeakReference<Object>> kept = new AtomicReference<>();
        AtomicReference<Boolean> cached = new AtomicReference<>();
        Thread t = onFreeEntry(() -> {
            Object large = new byte[1 << 20];
            PLAIN.set("x");
            BUILDER.get().append("y");
            ThreadSlot<Object> slot = HELD;
            slot.set(large);
            kept.set(new java.lang.ref.WeakReference<>(large));
            cached.set(ThreadSlots.cached(Thread.currentThread()));
        });
        t.start();
        t.join();
        assertEquals(true, cached.get(), "the thread's state was in the table");
        for (int i = 0; i < 50 && kept.get().get() != null; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertEquals(true, kept.get().get() == null, "the ended thread's values are not kept alive by the table");
    }

    private static final ThreadSlot<Object> HELD = new ThreadSlot<>();

    /**
     * A new, unstarted thread whose entry of the table is free (a live thread of this JVM that
     * looked its state up, this one's or a writer's, may hold the entry a new thread's id falls on).
     */
    private static Thread onFreeEntry(Runnable task) {
        for (int i = 0; i < 10_000; i++) {
            Thread t = new Thread(task);
            if (ThreadSlots.entryFree(t)) {
                return t;
            }
        }
        throw new AssertionError("no free entry");
    }

    /** A new, unstarted thread whose state falls on the same entry of the table as {@code other}'s. */
    private static Thread sameEntryAs(Thread other, Runnable task) {
        for (int i = 0; i < 10_000; i++) {
            Thread t = new Thread(task);
            if (ThreadSlots.tableIndex(t) == ThreadSlots.tableIndex(other)) {
                return t;
            }
        }
        throw new AssertionError("no thread id fell on the entry of " + other);
    }

    @Test
    void aSlotSetToNullGetsItsInitialValueAgain() {
        StringBuilder first = BUILDER.get();
        BUILDER.set(null);
        StringBuilder second = BUILDER.get();
        assertEquals(false, first == second);
        assertSame(second, BUILDER.get());
    }

    /** Slots and depths made after a thread's state was: its arrays grow to hold them. */
    @Test
    void slotsMadeLaterFitTheStateOfAThreadMadeEarlier() {
        PLAIN.set("early");   // this thread's state exists now
        List<ThreadSlot<Integer>> late = new ArrayList<>();
        List<CallDepth> depths = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            late.add(new ThreadSlot<>());
            // a key class of its own for each: arrays of ThreadSlotsTest of 1 to 40 dimensions
            depths.add(CallDepth.of(java.lang.reflect.Array.newInstance(ThreadSlotsTest.class, new int[i + 1]).getClass()));
        }
        for (int i = 0; i < late.size(); i++) {
            late.get(i).set(i);
            assertEquals(0, depths.get(i).enter());
            assertEquals(1, depths.get(i).enter());
        }
        for (int i = 0; i < late.size(); i++) {
            assertEquals(i, late.get(i).get());
            assertEquals(2, depths.get(i).get());
            assertEquals(1, depths.get(i).exit());
            assertEquals(0, depths.get(i).exit());
            assertEquals(0, depths.get(i).exit(), "never below zero");
        }
        assertEquals("early", PLAIN.get());
        PLAIN.set(null);
    }
}
