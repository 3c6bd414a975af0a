package io.rpctrace.internal.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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
}
