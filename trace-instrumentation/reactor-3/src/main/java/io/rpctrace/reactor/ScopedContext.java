package io.rpctrace.reactor;

import java.util.AbstractMap;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * A subscriber {@code Context} that holds the chain's scope under {@link BoundaryWrapper#CONTEXT_KEY}
 * next to Reactor's own context, {@link #inner()}, instead of inside it: what the operators above a
 * boundary write into their context ({@code contextWrite}, Reactor's discard hooks, WebClient and
 * the server's entries) is written into the inner context, which stays the size it has without the
 * agent, and the result is wrapped again. The key reads, counts and streams as one entry.
 *
 * <p>Design note: Reactor's contexts are classes by size ({@code Context1} … {@code Context5}, then a
 * {@code LinkedHashMap}); the scope as one more entry moved every context above the first boundary
 * one size up, and from four entries on Reactor checks the keys for duplicates by building a
 * message string per key even when there is none. In a WebFlux request served with a WebClient
 * call that was about 1 KB allocated per request (docs/RATIONALE.md). The wrapper costs one small
 * object per context written above a boundary.
 */
final class ScopedContext implements Context {
    private final Context inner;
    private final Object scope;

    private ScopedContext(Context inner, Object scope) {
        this.inner = inner;
        this.scope = scope;
    }

    /**
     * {@code context}, which has no {@link BoundaryWrapper#CONTEXT_KEY} (the wrapper looked), with the
     * scope {@code scope} under that key.
     */
    static Context of(Context context, Object scope) {
        return new ScopedContext(context, scope);
    }

    /** Reactor's context without the scope (tests). */
    Context inner() {
        return inner;
    }

    private static boolean isKey(Object key) {
        return key == BoundaryWrapper.CONTEXT_KEY || BoundaryWrapper.CONTEXT_KEY.equals(key);
    }

    private Context wrap(Context written) {
        return written == inner ? this : new ScopedContext(written, scope);
    }

    @Override
    public Context put(Object key, Object value) {
        if (isKey(key)) {
            return value == scope ? this : new ScopedContext(inner, value);
        }
        return wrap(inner.put(key, value));
    }

    @Override
    public Context delete(Object key) {
        if (isKey(key)) {
            return inner;
        }
        return wrap(inner.delete(key));
    }

    @Override
    public Context putAll(ContextView other) {
        if (other.isEmpty()) {
            return this;
        }
        if (other instanceof ScopedContext) {
            ScopedContext scoped = (ScopedContext) other;
            return new ScopedContext(inner.putAll(scoped.inner), scoped.scope);
        }
        if (other.hasKey(BoundaryWrapper.CONTEXT_KEY)) {
            Object otherScope = other.get(BoundaryWrapper.CONTEXT_KEY);
            return new ScopedContext(inner.putAll(Context.of(other).delete(BoundaryWrapper.CONTEXT_KEY)), otherScope);
        }
        return wrap(inner.putAll(other));
    }

    @Override
    @SuppressWarnings("deprecation")
    public Context putAll(Context other) {
        return putAll((ContextView) other);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Object key) {
        return isKey(key) ? (T) scope : inner.get(key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getOrDefault(Object key, T defaultValue) {
        return isKey(key) ? (T) scope : inner.getOrDefault(key, defaultValue);
    }

    @Override
    public boolean hasKey(Object key) {
        return isKey(key) || inner.hasKey(key);
    }

    @Override
    public boolean isEmpty() {
        return false;
    }

    @Override
    public int size() {
        return inner.size() + 1;
    }

    @Override
    public Stream<Map.Entry<Object, Object>> stream() {
        return Stream.concat(inner.stream(),
                Stream.of(new AbstractMap.SimpleImmutableEntry<Object, Object>(BoundaryWrapper.CONTEXT_KEY, scope)));
    }

    /** {@code ContextView.forEach} of Reactor 3.5+ (a default method there; not in 3.4). */
    public void forEach(BiConsumer<Object, Object> action) {
        inner.stream().forEach(e -> action.accept(e.getKey(), e.getValue()));
        action.accept(BoundaryWrapper.CONTEXT_KEY, scope);
    }

    @Override
    public String toString() {
        return inner + " + " + BoundaryWrapper.CONTEXT_KEY + "=" + scope;
    }
}
