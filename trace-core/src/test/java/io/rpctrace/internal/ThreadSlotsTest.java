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
