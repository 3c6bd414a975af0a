package io.rpctrace.internal.concurrent;

/**
 * Recognises lambdas, which are wrapped rather than associated: the JVM hands out one
 * instance of a non-capturing lambda for every evaluation, so two requests submitting
 * {@code () -> work()} submit the same object and an identity association cannot tell them
 * apart; and another agent (the OpenTelemetry javaagent) may wrap a lambda after our advice
 * ran, so the pool would run an object we never saw. Lambdas have no identity an
 * application relies on ({@code remove(lambda)} aside, see docs/RATIONALE.md).
 */
final class Lambdas {
    private static final ClassValue<Boolean> LAMBDA = new ClassValue<Boolean>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return isLambdaClass(type);
        }
    };

    private Lambdas() {
    }

    static boolean isLambda(Class<?> type) {
        return LAMBDA.get(type);
    }

    static boolean isLambdaClass(Class<?> type) {
        // Lambda classes are synthetic and named Outer$$Lambda$12/0x... (JDK 8-20) or
        // Outer$$Lambda/0x... (hidden classes, JDK 21+).
        return type.isSynthetic() && type.getName().contains("$$Lambda");
    }
}
