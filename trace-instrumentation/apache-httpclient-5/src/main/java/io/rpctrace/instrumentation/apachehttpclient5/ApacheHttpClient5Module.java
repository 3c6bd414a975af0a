package io.rpctrace.instrumentation.apachehttpclient5;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Module {@code apache-httpclient-5}: one {@code http.<method>} record per request executed
 * by a {@code CloseableHttpClient} of Apache HttpClient 5.x (classic API): every {@code execute}
 * overload ends in {@code doExecute} (retries and redirects happen inside it); and by a
 * {@code CloseableHttpAsyncClient} ({@code HttpAsyncClients.createDefault()/custom()}), from
 * {@code doExecute} to the response head reaching the response consumer, the application's
 * callback running in the caller's scope.
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
        return Arrays.asList(
                advise(SuperTypes.named("org.apache.hc.client5.http.impl.classic.CloseableHttpClient"),
                        named("doExecute").and(takesArguments(3)).and(not(isAbstract())), DoExecuteAdvice.class.getName()),
                advise(SuperTypes.named("org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient"),
                        named("doExecute").and(takesArguments(6)).and(not(isAbstract())), AsyncExecuteAdvice.class.getName()),
                advise(named("org.apache.hc.client5.http.impl.async.AsyncExecChainElement"),
                        named("execute").and(takesArguments(4)).and(takesArgument(0, named("org.apache.hc.core5.http.HttpRequest"))),
                        AsyncChainAdvice.class.getName()),
                new TypeInstrumentation() { // the response consumer: the head ends the call, a failure fails it
                    @Override
                    public ElementMatcher<TypeDescription> typeMatcher() {
                        return SuperTypes.named("org.apache.hc.core5.http.nio.AsyncResponseConsumer").and(not(isInterface()));
                    }

                    @Override
                    public void transform(AdviceTarget target) {
                        target.applyAdvice(named("consumeResponse").and(takesArguments(4)).and(not(isAbstract())),
                                        AsyncConsumerAdvice.Response.class.getName())
                                .applyAdvice(named("failed").and(takesArguments(1)).and(not(isAbstract()))
                                                .and(takesArgument(0, named("java.lang.Exception"))),
                                        AsyncConsumerAdvice.Failed.class.getName());
                    }
                });
    }

    /** One advice on the matching methods of the matching types. */
    private static TypeInstrumentation advise(final ElementMatcher<TypeDescription> types,
                                              final ElementMatcher<? super MethodDescription> methods, final String advice) {
        return new TypeInstrumentation() {
            @Override
            public ElementMatcher<TypeDescription> typeMatcher() {
                return types;
            }

            @Override
            public void transform(AdviceTarget target) {
                target.applyAdvice(methods, advice);
            }
        };
    }
}
