package io.rpctrace.internal.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A continuation runs in the scope it was created in, not a child, once. */
class ContinuationsTest {
    @AfterEach
    void clear() {
        CurrentScope.set(null);
    }

    @Test
    void runsInTheCreatorsScopeOnceAndPutsTheThreadsScopeBack() {
        Scope request = Scope.enter("t1", null, false);
        Object call = new Object();
        CurrentScope.set(request);
        Continuations.capture(call);

        Scope poolTask = request.child();                 // what the executors module made current
        CurrentScope.set(poolTask);
        Scope previous = Continuations.enter(call);
        assertSame(request, CurrentScope.get());
        assertEquals("0.2", request.nextCallId(), "the call is the request's own");
        Continuations.exit(previous);
        assertSame(poolTask, CurrentScope.get());
        assertEquals(false, poolTask.numbered(), "the pool's task wrote nothing: it took no id");
        assertEquals(0, Continuations.size(), "forgotten once run");

        Scope again = Continuations.enter(call);
        assertSame(poolTask, CurrentScope.get(), "a second run changes nothing");
        Continuations.exit(again);
    }

    @Test
    void aGivenScopeIsTheOneEntered() {
        Scope root = Scope.newRoot();                    // a call made outside any scope: its own trace
        Object future = new Object();
        Continuations.capture(future, root);
        Scope previous = Continuations.enter(future);
        assertSame(root, CurrentScope.get());
        Continuations.exit(previous);
        assertNull(CurrentScope.get());
        Continuations.capture(future, null);
        assertEquals(0, Continuations.size(), "no scope: nothing kept");
    }

    @Test
    void outsideAnyScopeNothingIsCaptured() {
        Object call = new Object();
        Continuations.capture(call);
        Continuations.exit(Continuations.enter(call));
        assertNull(CurrentScope.get());
        assertEquals(0, Continuations.size());
    }
}
