package io.rpctrace.instrumentation.servlet;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code HttpServletResponse.addHeader(name, value)} of either servlet namespace: an
 * {@code X-Trace-Id} added to a response that has one already (the served request's, set when the
 * request arrived) is not added. A proxy copies its upstream's response headers with
 * {@code addHeader} (Spring Cloud Gateway Server MVC, Spring MVC writing a {@code ResponseEntity}),
 * the upstream's {@code X-Trace-Id} among them, and the client got the id twice
 * (docs/instrumentation/http.md). Each module registers it with its own advice class, which
 * names its namespace's {@code HttpServletResponse}.
 */
public final class ResponseHeaderInstrumentation implements TypeInstrumentation {
    private final String responseType;
    private final String advice;

    public ResponseHeaderInstrumentation(String responseType, String advice) {
        this.responseType = responseType;
        this.advice = advice;
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return SuperTypes.named(responseType).and(not(isInterface()));
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("addHeader").and(takesArguments(2)).and(not(isAbstract()))
                .and(takesArgument(0, String.class)).and(takesArgument(1, String.class)), advice);
    }
}
