package io.rpctrace.instrumentation.rabbitmq;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.named;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Classes that implement an interface. These matchers see every class the JVM loads (a
 * consumer can be any class), so a class whose hierarchy cannot be resolved (netty's Log4J2
 * logger without Log4J on the class path) simply does not match instead of being reported.
 */
final class Implementing extends ElementMatcher.Junction.AbstractBase<TypeDescription> {
    private final ElementMatcher<TypeDescription> delegate;

    private Implementing(String interfaceName) {
        this.delegate = hasSuperType(named(interfaceName));
    }

    static ElementMatcher.Junction<TypeDescription> type(String interfaceName) {
        return new Implementing(interfaceName);
    }

    @Override
    public boolean matches(TypeDescription target) {
        if (target.isInterface() || target.getName().startsWith("java.") || target.getName().startsWith("jdk.")) {
            return false;
        }
        try {
            return delegate.matches(target);
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
