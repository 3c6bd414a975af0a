package io.rpctrace.instrumentation.jdkhttpclient;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.net.ProxySelector;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * {@code jdk.internal.net.http.HttpRequestImpl(HttpRequest, ProxySelector)}: the client's
 * private copy of the application's request, made inside {@code sendAsync} on the calling
 * thread. The headers of docs/propagation.md#headers are added as "system" headers of that copy, so the
 * application's immutable {@code HttpRequest} is never changed or replaced; only when it carries one
 * of those headers itself is the copy made from a request without it ({@link OwnIdHeaders}).
 */
final class HttpRequestImplInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("jdk.internal.net.http.HttpRequestImpl");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(isConstructor().and(takesArguments(2)).and(takesArgument(1, ProxySelector.class)),
                "io.rpctrace.instrumentation.jdkhttpclient.advice.CopyAdvice");
    }
}
