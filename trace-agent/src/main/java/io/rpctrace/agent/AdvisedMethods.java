package io.rpctrace.agent;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * The methods a {@link TypeInstrumentation} puts advice on, gathered once at start-up by running
 * its {@code transform} against this recorder instead of a class. A class its type matcher
 * selects but that declares none of those methods is left as it is: advice goes on declared
 * methods only, so rewriting it would change nothing and cost a cold Byte Buddy rewrite (a
 * servlet module matches every {@code Filter}, most of which inherit {@code doFilter};
 * docs/RATIONALE.md, "Start-up").
 */
final class AdvisedMethods implements AdviceTarget {
    private ElementMatcher.Junction<MethodDescription> any = ElementMatchers.none();

    private AdvisedMethods() {
    }

    /** The advised methods of {@code type}, or null when they cannot be gathered (then every match is rewritten). */
    static AdvisedMethods of(TypeInstrumentation type) {
        AdvisedMethods methods = new AdvisedMethods();
        try {
            type.transform(methods);
            return methods;
        } catch (RuntimeException e) {
            return null;
        }
    }

    @Override
    public AdviceTarget applyAdvice(ElementMatcher<? super MethodDescription> methods, String adviceClassName) {
        any = any.or(methods);
        return this;
    }

    /**
     * True when {@code type} declares a method (constructors and the type initializer included)
     * that some advice goes on, or when its methods cannot be described (the rewrite then decides).
     */
    boolean declaredBy(TypeDescription type) {
        try {
            if (any.matches(new MethodDescription.Latent.TypeInitializer(type))) {
                return true;
            }
            for (MethodDescription method : type.getDeclaredMethods()) {
                if (any.matches(method)) {
                    return true;
                }
            }
            return false;
        } catch (RuntimeException e) {
            return true;
        }
    }
}
