package io.rpctrace.agent;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isTypeInitializer;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;

class AdvisedMethodsTest {
    /** Described from class files, lazily, as the agent's pool strategy does. */
    private static final TypePool POOL = TypePool.Default.WithLazyResolution.ofSystemLoader();

    static class Base {
        void handle(String request) {
        }
    }

    static class InheritsHandle extends Base {
        void other() {
        }
    }

    static class OverridesHandle extends Base {
        @Override
        void handle(String request) {
        }
    }

    static class WithStaticInit {
        static final long STARTED = System.nanoTime();
    }

    private static TypeInstrumentation advising(final ElementMatcher<? super MethodDescription> methods) {
        return new TypeInstrumentation() {
            @Override
            public ElementMatcher<TypeDescription> typeMatcher() {
                return ElementMatchers.any();
            }

            @Override
            public void transform(AdviceTarget target) {
                target.applyAdvice(named("unrelated"), "Unused").applyAdvice(methods, "Advice");
            }
        };
    }

    private static TypeDescription described(Class<?> type) {
        return POOL.describe(type.getName()).resolve();
    }

    @Test
    void aClassThatOnlyInheritsTheAdvisedMethodIsLeftAsItIs() {
        AdvisedMethods handle = AdvisedMethods.of(advising(named("handle").and(takesArguments(1))));
        assertTrue(handle.declaredBy(described(Base.class)));
        assertTrue(handle.declaredBy(described(OverridesHandle.class)));
        assertFalse(handle.declaredBy(described(InheritsHandle.class)));
        // the retransformation pass describes loaded classes by reflection
        assertTrue(handle.declaredBy(TypeDescription.ForLoadedType.of(OverridesHandle.class)));
        assertFalse(handle.declaredBy(TypeDescription.ForLoadedType.of(InheritsHandle.class)));
    }

    @Test
    void theAgentsTypeMatcherLeavesAMatchedClassThatDeclaresNoAdvisedMethod() {
        AdvisedMethods handle = AdvisedMethods.of(advising(named("handle").and(takesArguments(1))));
        TypeThenLandmarks matcher = new TypeThenLandmarks(ElementMatchers.any(), ElementMatchers.any(), handle);
        ClassLoader loader = AdvisedMethodsTest.class.getClassLoader();
        assertTrue(matcher.matches(described(Base.class), loader, null, null, null));
        assertFalse(matcher.matches(described(InheritsHandle.class), loader, null, null, null));
        assertTrue(new TypeThenLandmarks(ElementMatchers.any(), ElementMatchers.any(), null)
                .matches(described(InheritsHandle.class), loader, null, null, null), "methods not gathered: every match");
    }

    @Test
    void everyAdviceOfTheInstrumentationCounts() {
        AdvisedMethods other = AdvisedMethods.of(advising(named("other")));
        assertTrue(other.declaredBy(described(InheritsHandle.class)));
        assertFalse(other.declaredBy(described(Base.class)));
    }

    @Test
    void constructorsAndTypeInitializersAreMethodsTooEvenWhereTheClassFileHasNone() {
        assertTrue(AdvisedMethods.of(advising(isConstructor())).declaredBy(described(InheritsHandle.class)));
        AdvisedMethods init = AdvisedMethods.of(advising(isTypeInitializer()));
        assertTrue(init.declaredBy(described(WithStaticInit.class)));
        assertTrue(init.declaredBy(described(Base.class)));
    }

    @Test
    void anInstrumentationWhoseMethodsCannotBeGatheredRewritesEveryMatch() {
        assertNull(AdvisedMethods.of(new TypeInstrumentation() {
            @Override
            public ElementMatcher<TypeDescription> typeMatcher() {
                return ElementMatchers.any();
            }

            @Override
            public void transform(AdviceTarget target) {
                throw new IllegalStateException("needs a class");
            }
        }));
    }
}
