package io.rpctrace.agent;

import java.security.ProtectionDomain;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * A type instrumentation's type matcher first, its module's landmark check second (Byte
 * Buddy's {@code type(typeMatcher, classLoaderMatcher)} asks the loader first). Every bundled
 * matcher begins with a name test or a {@code SuperTypes} test, both cheap; the landmark
 * check reads class-file resources through the loader, once per loader and module, which in a
 * Spring Boot fat jar means searching every nested jar for each missing class. Asked second,
 * it runs only for loaders that define a class the module matches by name or hierarchy: a
 * module whose library is absent looks up nothing. Last, the class must declare a method the
 * instrumentation advises ({@link AdvisedMethods}; this parses its method table, so it comes
 * after the cheap tests).
 */
final class TypeThenLandmarks implements AgentBuilder.RawMatcher {
    private final ElementMatcher<? super TypeDescription> type;
    private final ElementMatcher<? super ClassLoader> landmarks;
    private final AdvisedMethods advised;

    TypeThenLandmarks(ElementMatcher<? super TypeDescription> type, ElementMatcher<? super ClassLoader> landmarks,
                      AdvisedMethods advised) {
        this.type = type;
        this.landmarks = landmarks;
        this.advised = advised;
    }

    @Override
    public boolean matches(TypeDescription typeDescription, ClassLoader classLoader, JavaModule module,
                           Class<?> classBeingRedefined, ProtectionDomain protectionDomain) {
        return type.matches(typeDescription) && landmarks.matches(classLoader)
                && (advised == null || advised.declaredBy(typeDescription));
    }
}
