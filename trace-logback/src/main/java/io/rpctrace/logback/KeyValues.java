package io.rpctrace.logback;

import ch.qos.logback.classic.spi.ILoggingEvent;
import io.rpctrace.internal.logging.LogRecords;
import io.rpctrace.record.Record;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * SLF4J 2 key-value pairs ({@code logger.atInfo().addKeyValue("order", id).log(...)}) of an
 * event, read without compiling against Logback 1.3+: {@code ILoggingEvent.getKeyValuePairs()}
 * was added in Logback 1.3 and {@code org.slf4j.event.KeyValuePair} in SLF4J 2.0. On 1.2 there
 * is nothing to read.
 */
final class KeyValues {
    private static final MethodHandle PAIRS;
    private static final MethodHandle KEY;
    private static final MethodHandle VALUE;

    static {
        MethodHandle pairs = null;
        MethodHandle key = null;
        MethodHandle value = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            // added in Logback 1.3 / SLF4J 2.0
            pairs = lookup.findVirtual(ILoggingEvent.class, "getKeyValuePairs", MethodType.methodType(List.class));
            Class<?> kv = Class.forName("org.slf4j.event.KeyValuePair", false, ILoggingEvent.class.getClassLoader());
            key = lookup.findGetter(kv, "key", String.class);
            value = lookup.findGetter(kv, "value", Object.class);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            pairs = null; // Logback 1.2: events have no key-value pairs
        }
        PAIRS = pairs;
        KEY = key;
        VALUE = value;
    }

    private KeyValues() {
    }

    /** Adds the event's key-value pairs to {@code x_extra} (values as strings). */
    static void addTo(Record r, ILoggingEvent event) {
        if (PAIRS == null) {
            return;
        }
        try {
            List<?> list = (List<?>) PAIRS.invoke(event);
            if (list == null) {
                return;
            }
            for (int i = 0, n = list.size(); i < n; i++) {
                Object kv = list.get(i);
                Object v = VALUE.invoke(kv);
                if (v != null) {
                    LogRecords.extra(r, (String) KEY.invoke(kv), String.valueOf(v));
                }
            }
        } catch (Throwable e) {
            // a foreign ILoggingEvent implementation: no pairs
        }
    }
}
