package io.rpctrace.instrumentation.api;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Where a {@link TypeInstrumentation} declares its advice. */
public interface AdviceTarget {
    /**
     * Inlines the advice class named {@code adviceClassName} into the matched methods
     * (constructors included when the matcher selects them). The class is read as bytes
     * from the module's jar, never loaded by the agent; an advice that cannot be applied
     * is reported once on stderr and skipped.
     */
    AdviceTarget applyAdvice(ElementMatcher<? super MethodDescription> methods, String adviceClassName);
}
