package io.rpctrace.instrumentation.jdkhttpclient;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code jdk.internal.net.http.HttpClientImpl}: every {@code send} and {@code sendAsync}
 * ends in the private four-argument {@code sendAsync} (JDK 11 to 25). The call starts there;
 * the headers go onto the internal request copy it makes ({@link HttpRequestImplInstrumentation});
 * the record is written when the returned future completes.
 */
final class HttpClientImplInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("jdk.internal.net.http.HttpClientImpl");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("sendAsync").and(takesArguments(4)),
                "io.rpctrace.instrumentation.jdkhttpclient.advice.SendAsyncAdvice");
    }
}
