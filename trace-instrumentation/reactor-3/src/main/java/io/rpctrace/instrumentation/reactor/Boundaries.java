package io.rpctrace.instrumentation.reactor;

import io.rpctrace.internal.HelperClasses;
import java.util.function.Function;

/**
 * What the boundary advice calls ({@link BoundaryInstrumentation}): the subscriber a boundary gets
 * in place of its own, made by the helper next to the boundary's reactor-core
 * ({@code io.rpctrace.reactor.BoundaryWrapper}: the subscriber wrapped with the chain's scope, or
 * itself outside any scope).
 *
 * <p>Design note: the helper is found once per boundary class ({@link ClassValue}), with whether
 * the boundary is {@code Fuseable} (its wrapper then refuses fusion): a subscription costs one
 * lookup and one call, and nothing reads the boundary's class metadata but its mirror.
 */
public final class Boundaries {
    /** The helpers, by whether the boundary is fuseable. */
    static final String WRAPPER = "io.rpctrace.reactor.BoundaryWrapper";
    static final String FUSEABLE_WRAPPER = "io.rpctrace.reactor.BoundaryWrapper$Fuseable";
    /** The same for a parallel boundary's rails. */
    static final String RAILS_WRAPPER = "io.rpctrace.reactor.RailsWrapper";
    static final String FUSEABLE_RAILS_WRAPPER = "io.rpctrace.reactor.RailsWrapper$Fuseable";

    private static final ClassValue<Function<Object, Object>> WRAPPERS = new ClassValue<Function<Object, Object>>() {
        @Override
        protected Function<Object, Object> computeValue(Class<?> type) {
            return helper(type, FUSEABLE_WRAPPER, WRAPPER);
        }
    };
    private static final ClassValue<Function<Object, Object>> RAILS = new ClassValue<Function<Object, Object>>() {
        @Override
        protected Function<Object, Object> computeValue(Class<?> type) {
            return helper(type, FUSEABLE_RAILS_WRAPPER, RAILS_WRAPPER);
        }
    };

    private Boundaries() {
    }

    /** The subscriber {@code boundary} subscribes in place of {@code actual}. */
    public static Object wrap(Object boundary, Object actual) {
        return actual == null ? null : WRAPPERS.get(boundary.getClass()).apply(actual);
    }

    /** The same for each rail of a parallel boundary: a new array when one was wrapped. */
    public static Object[] wrapRails(Object boundary, Object[] rails) {
        return rails == null ? null : (Object[]) RAILS.get(boundary.getClass()).apply(rails);
    }

    @SuppressWarnings("unchecked")
    private static Function<Object, Object> helper(Class<?> boundary, String fuseable, String plain) {
        return (Function<Object, Object>) HelperClasses.instance(boundary,
                implementsNamed(boundary, "reactor.core.Fuseable") ? fuseable : plain);
    }

    /** True when {@code type}, a superclass or any interface they extend is named {@code name}. */
    static boolean implementsNamed(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name) || interfaceNamed(c.getInterfaces(), name)) {
                return true;
            }
        }
        return false;
    }

    private static boolean interfaceNamed(Class<?>[] interfaces, String name) {
        for (Class<?> i : interfaces) {
            if (i.getName().equals(name) || interfaceNamed(i.getInterfaces(), name)) {
                return true;
            }
        }
        return false;
    }
}
