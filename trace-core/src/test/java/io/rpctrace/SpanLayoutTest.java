package io.rpctrace;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/**
 * Every record costs the application thread one {@link Span} object: its size is part of the
 * per-call cost (docs/benchmarks.md#per-call-allocation-issue-20). The layout is read from the
 * field offsets the running JVM chose (compressed references, the default below 32 GB of heap).
 */
class SpanLayoutTest {
    @Test
    void aSpanTakesThirtyTwoBytes() throws Exception {
        // its ids, start time and metric.ip byte counts are its (pooled) record's
        long size = instanceSize(Span.class);
        assertTrue(size <= 32, "Span takes " + size + " bytes");
    }

    /** The end of the last field, rounded up to the 8-byte object alignment. */
    static long instanceSize(Class<?> type) throws Exception {
        Field f = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        f.setAccessible(true);
        sun.misc.Unsafe unsafe = (sun.misc.Unsafe) f.get(null);
        long end = 12;   // the header with a compressed class pointer
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    end = Math.max(end, unsafe.objectFieldOffset(field) + width(field.getType()));
                }
            }
        }
        return (end + 7) & ~7L;
    }

    private static int width(Class<?> t) {
        if (t == long.class || t == double.class) {
            return 8;
        }
        if (t == boolean.class || t == byte.class) {
            return 1;
        }
        if (t == short.class || t == char.class) {
            return 2;
        }
        return 4;   // int, float, a compressed reference
    }
}
