package io.rpctrace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class CallDepthTest {
    @Test
    void onlyTheOutermostCallSeesZero() {
        CallDepth depth = CallDepth.of(CallDepthTest.class);
        assertSame(depth, CallDepth.of(CallDepthTest.class));
        assertEquals(0, depth.enter());      // executeQuery: record
        assertEquals(1, depth.enter());      //   execute, called by executeQuery: do not record
        assertEquals(1, depth.exit());
        assertEquals(0, depth.exit());
        assertEquals(0, depth.exit());       // an unpaired exit never goes negative
        assertEquals(0, depth.enter());
        depth.exit();
    }

    @Test
    void depthIsPerThreadAndPerKey() throws Exception {
        CallDepth depth = CallDepth.of(Runnable.class);
        depth.enter();
        int[] other = new int[2];
        Thread t = new Thread(() -> {
            other[0] = CallDepth.of(Runnable.class).enter();
            other[1] = CallDepth.of(String.class).enter();
        });
        t.start();
        t.join();
        assertEquals(0, other[0]);
        assertEquals(0, other[1]);
        assertEquals(0, CallDepth.of(String.class).get());
        depth.exit();
    }
}
