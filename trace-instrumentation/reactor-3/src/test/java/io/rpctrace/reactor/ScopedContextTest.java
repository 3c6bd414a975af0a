package io.rpctrace.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import reactor.util.context.Context;

/** The scope next to Reactor's context reads, writes and copies as one more entry of it. */
class ScopedContextTest {
    private static final String KEY = BoundaryWrapper.CONTEXT_KEY;

    private static Map<Object, Object> entries(Context context) {
        return context.stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    @Test
    void readsAsOneMoreEntry() {
        Object scope = new Object();
        Context c = ScopedContext.of(Context.of("a", 1), scope);
        assertSame(scope, c.get(KEY));
        assertSame(scope, c.getOrDefault(KEY, null));
        assertSame(scope, c.getOrDefault(new String(KEY), null), "keys compare by equals");
        assertEquals(Integer.valueOf(1), c.get("a"));
        assertEquals("none", c.getOrDefault("b", "none"));
        assertTrue(c.hasKey(KEY) && c.hasKey("a") && !c.hasKey("b"));
        assertEquals(2, c.size());
        assertFalse(c.isEmpty());
        Map<Object, Object> expected = new HashMap<>();
        expected.put("a", 1);
        expected.put(KEY, scope);
        assertEquals(expected, entries(c));
        Map<Object, Object> each = new HashMap<>();
        ((ScopedContext) c).forEach(each::put);
        assertEquals(expected, each);
        assertTrue(ScopedContext.of(Context.empty(), scope).hasKey(KEY));
        assertEquals(1, ScopedContext.of(Context.empty(), scope).size());
    }

    @Test
    void writesGoToReactorsContextAndKeepTheScope() {
        Object scope = new Object();
        Context c = ScopedContext.of(Context.of("a", 1), scope);
        Context put = c.put("b", 2);
        assertSame(scope, put.get(KEY));
        assertEquals(Integer.valueOf(2), put.get("b"));
        assertEquals(3, put.size());
        assertEquals(Context.of("a", 1, "b", 2).getClass(), ((ScopedContext) put).inner().getClass());
        Context all = c.putAll(Context.of("c", 3, "d", 4).readOnly());
        assertEquals(4, all.size());
        assertSame(scope, all.get(KEY));
        assertEquals(Integer.valueOf(4), all.get("d"));
        Context deleted = put.delete("a");
        assertEquals(2, deleted.size());
        assertFalse(deleted.hasKey("a"));
        assertSame(scope, deleted.get(KEY));
        assertSame(c, c.putAll(Context.empty().readOnly()));
    }

    @Test
    void theScopeKeyIsReplacedOrRemovedLikeAnyOther() {
        Object scope = new Object();
        Object other = new Object();
        Context c = ScopedContext.of(Context.of("a", 1), scope);
        assertSame(other, c.put(KEY, other).get(KEY));
        assertEquals(2, c.put(KEY, other).size());
        Context deleted = c.delete(KEY);
        assertFalse(deleted.hasKey(KEY));
        assertEquals(1, deleted.size());
        Context fromPlain = c.putAll(Context.of(KEY, other, "z", 26).readOnly());
        assertSame(other, fromPlain.get(KEY));
        assertEquals(3, fromPlain.size(), "the key is not counted twice");
        Context fromScoped = c.putAll(ScopedContext.of(Context.of("z", 26), other).readOnly());
        assertSame(other, fromScoped.get(KEY));
        assertEquals(3, fromScoped.size());
    }

    @Test
    void copiedIntoReactorsContextTheScopeComesAlong() {
        Object scope = new Object();
        Context c = ScopedContext.of(Context.of("a", 1), scope);
        Context copy = Context.of("x", 0).putAll(c.readOnly());
        assertSame(scope, copy.get(KEY));
        assertEquals(3, copy.size());
        assertSame(c, Context.of(c.readOnly()));
        assertNull(ScopedContext.of(Context.empty(), scope).getOrDefault("a", null));
    }
}
