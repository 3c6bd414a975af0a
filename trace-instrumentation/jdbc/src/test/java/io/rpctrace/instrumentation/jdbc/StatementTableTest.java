package io.rpctrace.instrumentation.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Where a statement's state is kept between its creation, its executions and its close. */
class StatementTableTest {
    private static StatementState put(StatementTable table, Object statement) {
        return table.put(statement, null, "select ?", "select ?", null);
    }

    @Test
    void aStatementIsFoundUntilClosed() {
        StatementTable table = new StatementTable(16, 100);
        Object statement = new Object();
        StatementState st = put(table, statement);
        assertSame(st, table.get(statement));
        assertNull(table.get(new Object()));
        table.remove(statement);
        assertNull(table.get(statement));
        assertEquals(0, table.displacedCount());
    }

    @Test
    void aStatementDisplacedFromItsSlotIsStillFoundFromAnyThreadAndGoesAtClose() throws Exception {
        StatementTable table = new StatementTable(1, 100);   // every statement takes the one slot
        Object first = new Object();
        Object second = new Object();
        StatementState firstState = put(table, first);
        StatementState secondState = put(table, second);
        assertEquals(1, table.displacedCount());
        assertSame(firstState, CompletableFuture.supplyAsync(() -> table.get(first)).get());
        assertSame(secondState, CompletableFuture.supplyAsync(() -> table.get(second)).get());
        table.remove(first);
        assertNull(table.get(first));
        assertSame(secondState, table.get(second));
        assertEquals(0, table.displacedCount());
        table.remove(second);
        assertNull(table.get(second));
    }

    @Test
    void pastItsBoundADisplacedStatementIsForgotten() {
        StatementTable table = new StatementTable(1, 1);
        Object[] statements = {new Object(), new Object(), new Object()};
        for (Object s : statements) {
            put(table, s);
        }
        assertEquals(1, table.displacedCount());
        assertNull(table.get(statements[1]));
    }

    @Test
    void aStatementNeverClosedIsNotKeptAlive() throws Exception {
        StatementTable table = new StatementTable(1, 100);
        Object statement = new Object();
        WeakReference<Object> probe = new WeakReference<>(statement);
        put(table, statement);
        Object other = new Object();
        put(table, other);   // displaces it into the map
        statement = null;
        for (int i = 0; i < 100 && probe.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(probe.get(), "the table kept a statement alive");
        assertTrue(table.displacedCount() <= 1, "collected statements leave the map");
    }

    /** With capture.param, a statement's bound values go with it when it is collected unclosed. */
    @Test
    void theBoundValuesOfAStatementCollectedUnclosedAreDroppedAtTheNextPut() throws Exception {
        StatementTable table = new StatementTable(16, 100);
        Object statement = new Object();
        StatementState st = put(table, statement);
        st.bind(1, new byte[1 << 20]);
        statement = null;
        for (int i = 0; i < 200 && st.paramCount > 0; i++) {
            System.gc();
            Thread.sleep(10);
            put(table, new Object());
        }
        assertNull(st.get());
        assertEquals(0, st.paramCount);
        assertNull(st.params[0]);
    }
}
