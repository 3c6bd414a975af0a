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
    private static StatementState state(Object statement) {
        return new StatementState(statement, null, "select ?", "select ?", null);
    }

    @Test
    void aStatementIsFoundUntilClosed() {
        StatementTable table = new StatementTable(16, 100);
        Object statement = new Object();
        StatementState st = state(statement);
        table.put(statement, st);
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
        StatementState firstState = state(first);
        StatementState secondState = state(second);
        table.put(first, firstState);
        table.put(second, secondState);
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
            table.put(s, state(s));
        }
        assertEquals(1, table.displacedCount());
        assertNull(table.get(statements[1]));
    }

    @Test
    void aStatementNeverClosedIsNotKeptAlive() throws Exception {
        StatementTable table = new StatementTable(1, 100);
        Object statement = new Object();
        WeakReference<Object> probe = new WeakReference<>(statement);
        table.put(statement, state(statement));
        table.put(new Object(), state(new Object()));   // displaces it into the map
        statement = null;
        for (int i = 0; i < 100 && probe.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(probe.get(), "the table kept a statement alive");
        assertTrue(table.displacedCount() <= 1, "collected statements leave the map");
    }
}
