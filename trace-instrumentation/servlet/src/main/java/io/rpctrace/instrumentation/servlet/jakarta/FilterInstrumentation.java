package io.rpctrace.instrumentation.servlet.jakarta;

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
 * {@code Filter.doFilter(ServletRequest, ServletResponse, FilterChain)}: a filter that answers
 * without calling the chain (authentication, rate limiting) still serves a request.
 */
final class FilterInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return SuperTypes.named("jakarta.servlet.Filter").and(not(isInterface()));
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("doFilter").and(takesArguments(3)).and(not(isAbstract()))
                        .and(takesArgument(0, named("jakarta.servlet.ServletRequest"))),
                ServletAdvice.class.getName());
    }
}
