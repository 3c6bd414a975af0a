package io.rpctrace.internal.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventCorrelationTest {
    @AfterEach
    void leave() {
        CurrentScope.restore(null);
    }

    @Test
    void outsideAScopeTheMapIsReturnedAsItIs() {
        Map<String, String> mdc = Collections.singletonMap("user", "7");
        assertSame(mdc, EventCorrelation.withIds(mdc));
    }

    @Test
    void insideAScopeTheIdsAreAddedToACopyWhichIsReusedWhileNothingChanges() {
        Scope s = Scope.enter("4bf92f3577b34da6a3ce929d0e0e4736", "0.3", false);
        CurrentScope.set(s);
        Map<String, String> mdc = new HashMap<>();
        mdc.put("user", "7");
        Map<String, String> first = EventCorrelation.withIds(mdc);
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", first.get("x_trace_id"));
        assertEquals("0.3.1", first.get("x_rpc_id"));
        assertEquals("7", first.get("user"));
        assertEquals(1, mdc.size(), "the application's map is not changed");
        assertSame(first, EventCorrelation.withIds(mdc));
        s.nextCallId();                                  // an outgoing call: the current id moves on
        Map<String, String> after = EventCorrelation.withIds(mdc);
        assertNotSame(first, after);
        assertEquals("0.3.2", after.get("x_rpc_id"));
        assertEquals("0.3.2", EventCorrelation.withIds(null).get("x_rpc_id"));
    }

    @Test
    void idsTheEventCarriesAlreadyAreKept() {
        CurrentScope.set(Scope.enter(null, null, false));
        Map<String, String> mdc = Collections.singletonMap("x_trace_id", "mine");
        assertSame(mdc, EventCorrelation.withIds(mdc));
    }
}
