package io.rpctrace.instrumentation.api;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * A cheaper {@code hasSuperType(named(...))} for matchers that see every class the JVM loads
 * (a JDBC driver, a servlet). For the class being loaded ({@link LoadingClass}) the answer
 * comes from its class-file header and what is already known of its supertypes in the same
 * loader ({@link TypeHierarchy}): nothing is parsed but the header, no supertype is read
 * twice. For any other type description the names of its whole hierarchy (itself, its
 * superclasses and every interface) are gathered once per type and thread, then shared by
 * all such matchers.
 *
 * <p>A supertype that cannot be described (a class missing from the class path) ends the
 * walk of its branch: what was found still matches, what was not does not, and nothing is
 * thrown at the matcher's caller.
 */
public final class SuperTypes extends ElementMatcher.Junction.AbstractBase<TypeDescription> {
    /** The last type described on this thread and its hierarchy's names. */
    private static final ThreadLocal<Object[]> LAST = new ThreadLocal<>();

    private final String name;
    /** This name's bit in {@link TypeHierarchy}, 0 when it has none (then the hierarchy is walked). */
    private final long mask;

    private SuperTypes(String name) {
        this.name = name;
        int bit = TypeHierarchy.bit(name);
        this.mask = bit < 0 ? 0L : 1L << bit;
    }

    /** Matches a type that is, extends or implements the type named {@code name}. */
    public static ElementMatcher.Junction<TypeDescription> named(String name) {
        return new SuperTypes(name);
    }

    @Override
    public boolean matches(TypeDescription target) {
        if (target == null) {
            return false;
        }
        if (mask != 0L) {
            // The class being loaded: from its class-file header and what is known of its supertypes.
            LoadingClass loading = LoadingClass.of(target);
            if (loading != null) {
                return (TypeHierarchy.of(loading) & mask) != 0L;
            }
        }
        return names(target).contains(name);
    }

    /**
     * Matches a class (not an interface) outside the JDK's packages that extends or implements
     * the type named {@code name}: the matcher for an interface that any application or driver
     * class may implement (a JDBC {@code Connection}, an AMQP {@code Consumer}). A class whose
     * hierarchy cannot be described does not match; nothing is thrown.
     */
    public static ElementMatcher.Junction<TypeDescription> concreteSubtypeOf(String name) {
        return new ConcreteSubtype(name);
    }

    private static final class ConcreteSubtype extends ElementMatcher.Junction.AbstractBase<TypeDescription> {
        private final SuperTypes hierarchy;

        ConcreteSubtype(String name) {
            this.hierarchy = new SuperTypes(name);
        }

        @Override
        public boolean matches(TypeDescription target) {
            if (target == null || target.getName().startsWith("java.") || target.getName().startsWith("jdk.")) {
                return false;
            }
            try {
                // The hierarchy first: it reads class-file headers only; isInterface may parse the class.
                return hierarchy.matches(target) && !target.isInterface();
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }
    }

    /** The names of {@code type} and all its supertypes, computed once for the last type seen per thread. */
    static Set<String> names(TypeDescription type) {
        Object[] last = LAST.get();
        if (last != null && last[0] == type) {
            @SuppressWarnings("unchecked")
            Set<String> names = (Set<String>) last[1];
            return names;
        }
        Set<String> names = walk(type);
        LAST.set(new Object[] {type, names});
        return names;
    }

    private static Set<String> walk(TypeDescription type) {
        Set<String> names = new HashSet<>();
        ArrayDeque<TypeDescription> todo = new ArrayDeque<>();
        todo.add(type);
        names.add(type.getName());
        while (!todo.isEmpty()) {
            TypeDescription t = todo.poll();
            try {
                TypeDescription.Generic superClass = t.getSuperClass();
                if (superClass != null) {
                    TypeDescription s = superClass.asErasure();
                    if (names.add(s.getName())) {
                        todo.add(s);
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                // this branch ends here
            }
            try {
                for (TypeDefinition i : t.getInterfaces()) {
                    TypeDescription s = i.asErasure();
                    if (names.add(s.getName())) {
                        todo.add(s);
                    }
                }
            } catch (RuntimeException | LinkageError e) {
                // this branch ends here
            }
        }
        return names;
    }
}
