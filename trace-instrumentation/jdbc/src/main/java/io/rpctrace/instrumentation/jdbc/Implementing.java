package io.rpctrace.instrumentation.jdbc;

import io.rpctrace.instrumentation.api.SuperTypes;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Classes that implement a JDBC interface. These matchers see every class the JVM loads (a
 * driver can be any class), so a class whose hierarchy cannot be resolved (netty's Log4J2
 * logger without Log4J on the class path) simply does not match instead of being reported.
 */
final class Implementing extends ElementMatcher.Junction.AbstractBase<TypeDescription> {
    private final ElementMatcher<TypeDescription> delegate;

    private Implementing(String interfaceName) {
        // One hierarchy walk per class shared by the four JDBC matchers (and the servlet ones).
        this.delegate = SuperTypes.named(interfaceName);
    }

    static ElementMatcher.Junction<TypeDescription> jdbc(String interfaceName) {
        return new Implementing(interfaceName);
    }

    @Override
    public boolean matches(TypeDescription target) {
        if (target.getName().startsWith("java.") || target.getName().startsWith("jdk.")) {
            return false;
        }
        try {
            // The hierarchy first: it reads class-file headers only; isInterface may parse the class.
            return delegate.matches(target) && !target.isInterface();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
