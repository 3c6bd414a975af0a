package io.rpctrace.record;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pooled record (io.rpctrace.internal.RecordPool) and a ring slot are reused through
 * {@link Record#reset()}: every field a record has, including one added later, must come back
 * to what a new record holds, or the next call's line carries the previous call's value.
 */
class RecordResetTest {

    /** Every instance field, set to a value no new record has. */
    private static List<Field> fillEveryField(Record r) throws IllegalAccessException {
        List<Field> filled = new ArrayList<>();
        for (Field f : Record.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) || Modifier.isFinal(f.getModifiers())
                    || (f.getType().isArray() && f.getName().startsWith("extra"))) {
                continue;   // the extras arrays are kept on purpose; their entries are checked below
            }
            f.setAccessible(true);
            Class<?> t = f.getType();
            if (t == String.class) {
                f.set(r, "left-over " + f.getName());
            } else if (t == long.class) {
                f.setLong(r, 42L);
            } else if (t == int.class) {
                f.setInt(r, f.getName().equals("extraCount") ? 0 : 42); // the extras are filled below
            } else if (t == byte.class) {
                f.setByte(r, (byte) 42);
            } else if (t == byte[].class) {
                f.set(r, new byte[] {'x'});
            } else if (t == Throwable.class) {
                f.set(r, new IllegalStateException("left over"));
            } else {
                throw new AssertionError("Record." + f.getName() + " is of a type this test does not fill: "
                        + t.getName() + "; teach it, and Record.reset(), that type");
            }
            filled.add(f);
        }
        r.extra("partition", 3L).extra("topic", "orders").extra("ratio", 0.5);
        return filled;
    }

    @Test
    void resetBringsEveryFieldBackToANewRecordsValue() throws IllegalAccessException {
        Record used = new Record();
        List<Field> fields = fillEveryField(used);
        assertTrue(fields.size() >= 30, "the record's fields were found: " + fields.size());
        used.reset();
        Record fresh = new Record();
        for (Field f : fields) {
            assertEquals(f.get(fresh), f.get(used), "Record." + f.getName() + " after reset()");
        }
        assertEquals(0, used.extraCount());
        for (int i = 0; i < used.extraKeys.length; i++) {
            assertNull(used.extraKeys[i], "no extra key retained");
            assertNull(used.extraStrings[i], "no extra string retained");
        }
    }

    @Test
    void aResetRingSlotKeepsItsSlot() throws IllegalAccessException {
        Record slot = new Record(7);
        fillEveryField(slot);
        slot.reset();
        assertEquals(7, slot.slot());
        assertNull(slot.name());
    }
}
