package io.rpctrace.log4j2;

import java.lang.reflect.Field;
import org.apache.logging.log4j.core.LogEvent;

/**
 * The caller location of an event, only when Log4j2 already computed it.
 * {@code LogEvent.getSource()} walks the stack when the logger includes location and nobody
 * asked yet (a few microseconds); capture must not pay that. Events of loggers without
 * {@code includeLocation} can be asked directly (they never compute); for the others the
 * event's own field is read ({@code source} in {@code Log4jLogEvent} and
 * {@code MutableLogEvent}, {@code location} in {@code RingBufferLogEvent}, 2.x). An event
 * class without such a field yields no location.
 */
final class Locations {
    private static final ClassValue<Field> FIELD = new ClassValue<Field>() {
        @Override
        protected Field computeValue(Class<?> type) {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (f.getType() == StackTraceElement.class
                            && (f.getName().equals("source") || f.getName().equals("location"))) {
                        try {
                            f.setAccessible(true);
                            return f;
                        } catch (RuntimeException e) {
                            return null; // a module that does not open it
                        }
                    }
                }
            }
            return null;
        }
    };

    private Locations() {
    }

    /** The location if already known, else null. */
    static StackTraceElement known(LogEvent event) {
        if (!event.isIncludeLocation()) {
            return event.getSource(); // never computed for these events: set or null
        }
        Field f = FIELD.get(event.getClass());
        if (f == null) {
            return null;
        }
        try {
            return (StackTraceElement) f.get(event);
        } catch (IllegalAccessException | RuntimeException e) {
            return null;
        }
    }
}
