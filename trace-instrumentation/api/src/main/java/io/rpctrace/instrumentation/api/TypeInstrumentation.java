package io.rpctrace.instrumentation.api;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The advice for one matched type (or one family: "every subclass of ThreadPoolExecutor
 * that overrides beforeExecute").
 *
 * <pre>{@code
 * final class RealCallInstrumentation implements TypeInstrumentation {
 *     public ElementMatcher<TypeDescription> typeMatcher() {
 *         return named("okhttp3.internal.connection.RealCall");
 *     }
 *     public void transform(AdviceTarget target) {
 *         target.applyAdvice(named("execute").and(takesArguments(0)),
 *                 "io.rpctrace.instrumentation.okhttp.ExecuteAdvice");
 *     }
 * }
 * }</pre>
 *
 * <p>Keep the matcher cheap: it runs for every class the JVM loads, before the module's
 * landmark check. Prefer {@code named}; for a hierarchy use {@link SuperTypes} (read from
 * class-file headers), not {@code hasSuperClass}/{@code hasSuperType}; put anything that
 * parses the class ({@code declaresMethod}, {@code isAnnotatedWith}, {@code isInterface})
 * after those tests.
 */
public interface TypeInstrumentation {
    /** The types to instrument. */
    ElementMatcher<TypeDescription> typeMatcher();

    /** Declares the advice for the methods of a matched type. */
    void transform(AdviceTarget target);

    /**
     * Called once for each class this instrumentation matches that was already loaded when the
     * agent was installed (attached to a running JVM, or a JDK class loaded before premain), after
     * it was retransformed: advice on a type initializer never runs for such a class, so an
     * instrumentation whose advice registers something there does it here. Must be idempotent
     * (the initializer's advice may run too, for a class loaded but not yet initialized) and must
     * not throw (what it throws is reported and ignored). Does nothing by default.
     */
    default void alreadyLoaded(Class<?> type) {
    }
}
