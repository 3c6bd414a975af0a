package io.rpctrace.instrumentation.servlet;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isDeclaredBy;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import io.rpctrace.instrumentation.http.ContainerCompletion;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The container's own method around one request, error handling included, so that a record
 * deferred by the servlet advice ({@link ContainerCompletion}) ends after the error page:
 * Tomcat 7-11 {@code StandardEngineValve.invoke} (the host's error report valve and its error
 * page forward run inside it), Jetty 9.4-11 {@code HttpChannel.handle} and Jetty 12's
 * {@code ServletChannel.handle} (their error handler runs in the same loop, and the record ends
 * at their {@code onCompleted}, before the loop recycles the response), Undertow's
 * {@code ServletInitialHandler.handleFirstRequest}. Both servlet modules register it; a class
 * advised twice counts two depths and ends the record once.
 */
public final class ContainerInstrumentation implements TypeInstrumentation {
    private static final String TOMCAT = "org.apache.catalina.core.StandardEngineValve";
    private static final String JETTY = "org.eclipse.jetty.server.HttpChannel";
    private static final String JETTY_12 = "org.eclipse.jetty.ee10.servlet.ServletChannel";
    private static final String UNDERTOW = "io.undertow.servlet.handlers.ServletInitialHandler";

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return namedOneOf(TOMCAT, JETTY, JETTY_12, UNDERTOW);
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(not(isAbstract()).and(
                isDeclaredBy(named(TOMCAT)).and(named("invoke")).and(takesArguments(2))
                        .or(isDeclaredBy(namedOneOf(JETTY, JETTY_12)).and(named("handle")).and(takesArguments(0)))
                        .or(isDeclaredBy(named(UNDERTOW)).and(named("handleFirstRequest")).and(takesArguments(2)))),
                ContainerInstrumentation.class.getName() + "$RequestAdvice");
        target.applyAdvice(isDeclaredBy(namedOneOf(JETTY, JETTY_12)).and(named("onCompleted")).and(takesArguments(0)),
                ContainerInstrumentation.class.getName() + "$CompletedAdvice");
    }

    /** Jetty's {@code onCompleted}: the response is complete and not yet recycled. */
    static final class CompletedAdvice {
        private CompletedAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            ContainerCompletion.complete();
        }
    }

    static final class RequestAdvice {
        private RequestAdvice() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Object enter() {
            return ContainerCompletion.enter();
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Object state) {
            ContainerCompletion.exit(state);
        }
    }
}
