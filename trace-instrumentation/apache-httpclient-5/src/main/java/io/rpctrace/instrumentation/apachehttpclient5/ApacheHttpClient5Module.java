package io.rpctrace.instrumentation.apachehttpclient5;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Module {@code apache-httpclient-5}: one {@code http.<method>} record per request executed
 * by a {@code CloseableHttpClient} of Apache HttpClient 5.x (classic API): every {@code execute}
 * overload ends in {@code doExecute} (retries and redirects happen inside it).
 */
public final class ApacheHttpClient5Module extends InstrumentationModule {
    public ApacheHttpClient5Module() {
        super("apache-httpclient-5");
    }

    @Override
    public List<String> landmarkClasses() {
        return Collections.singletonList("org.apache.hc.client5.http.impl.classic.CloseableHttpClient"); // 5.0
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Collections.<TypeInstrumentation>singletonList(new TypeInstrumentation() {
            @Override
            public ElementMatcher<TypeDescription> typeMatcher() {
                return hasSuperType(named("org.apache.hc.client5.http.impl.classic.CloseableHttpClient"));
            }

            @Override
            public void transform(AdviceTarget target) {
                target.applyAdvice(named("doExecute").and(takesArguments(3)).and(not(isAbstract())),
                        DoExecuteAdvice.class.getName());
            }
        });
    }
}
