package io.rpctrace.instrumentation.apachehttpclient4;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Module {@code apache-httpclient-4}: one {@code http.<method>} record per request executed
 * by a {@code CloseableHttpClient} of Apache HttpClient 4.3 to 4.5: every {@code execute}
 * overload ends in {@code doExecute} (retries and redirects happen inside it).
 */
public final class ApacheHttpClient4Module extends InstrumentationModule {
    public ApacheHttpClient4Module() {
        super("apache-httpclient-4");
    }

    @Override
    public List<String> landmarkClasses() {
        return Collections.singletonList("org.apache.http.impl.client.CloseableHttpClient"); // added in 4.3
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Collections.<TypeInstrumentation>singletonList(new TypeInstrumentation() {
            @Override
            public ElementMatcher<TypeDescription> typeMatcher() {
                return SuperTypes.named("org.apache.http.impl.client.CloseableHttpClient");
            }

            @Override
            public void transform(AdviceTarget target) {
                target.applyAdvice(named("doExecute").and(takesArguments(3)).and(not(isAbstract())),
                        DoExecuteAdvice.class.getName());
            }
        });
    }
}
