package io.rpctrace.internal.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {
    @Test
    void takeRemovesAndReturnsTheValueOnce() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>();
        Object key = new Object();
        map.put(key, "v");
        assertNull(map.take(new Object()), "by identity");
        assertEquals("v", map.take(key));
        assertNull(map.take(key));
        assertNull(map.get(key));
    }

    @Test
    void neverUsedUntilTheFirstWriteAndNotAgainAfterIt() {
        WeakIdentityMap<String> map = new WeakIdentityMap<>();
        assertTrue(map.neverUsed());
        Object key = new Object();
        assertNull(map.take(key));
        assertTrue(map.neverUsed(), "a lookup or a take writes nothing");
        map.put(key, "v");
        assertFalse(map.neverUsed());
        assertEquals("v", map.take(key));
        assertTrue(map.isEmpty());
        assertFalse(map.neverUsed(), "used once, a map is probed from then on");
        WeakIdentityMap<String> other = new WeakIdentityMap<>();
        other.putIfAbsent(key, "w");
        assertFalse(other.neverUsed());
    }

    /** Two threads taking the same keys (a completion racing a cancellation): each value is taken once. */
    @Test
    void racingTakersGetEachValueOnce() throws Exception {
        WeakIdentityMap<Integer> map = new WeakIdentityMap<>();
        Object[] keys = new Object[20_000];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new Object();
            map.put(keys[i], i);
        }
        AtomicInteger taken = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        Runnable taker = () -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            for (Object k : keys) {
                if (map.take(k) != null) {
                    taken.incrementAndGet();
                }
            }
        };
        Thread a = new Thread(taker);
        Thread b = new Thread(taker);
        a.start();
        b.start();
        go.countDown();
        a.join();
        b.join();
        assertEquals(keys.length, taken.get());
        assertEquals(0, map.size());
    }

    /** Lookups reuse one key per thread: it must neither keep the looked-up object alive nor allocate. */
    @Test
    void aLookupKeepsNothingAliveAndAllocatesNothing() throws Exception {
        WeakIdentityMap<String> map = new WeakIdentityMap<>();
        Object kept = new Object();
        map.put(kept, "v");
        Object looked = new Object();
        WeakReference<Object> ref = new WeakReference<>(looked);
        assertNull(map.get(looked));
        map.remove(looked);
        looked = null;
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(ref.get(), "the object looked up is not held by the map or its lookup key");

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Object[] keys = new Object[64];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = new Object();
            System.identityHashCode(keys[i]);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        int found = 0;
        for (int i = 0; i < 100_000; i++) {
            found += map.get(keys[i & 63]) == null ? 0 : 1;
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, found);
        assertTrue(allocated < 100_000, "a lookup allocated: " + allocated + " bytes for 100 000");
        assertEquals("v", map.get(kept));
    }
}
