package io.rpctrace.instrumentation.webflux;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.SuperTypes;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code WebExceptionHandler.handle(exchange, ex)} (every implementation: Spring's
 * {@code WebFluxResponseStatusExceptionHandler}, Spring Boot's {@code DefaultErrorWebExceptionHandler},
 * the application's own): an error left the handler chain. The status the handlers render decides
 * whether it fails the request ({@link WebFluxServerCalls#handling}).
 */
final class WebExceptionHandlerInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return SuperTypes.concreteSubtypeOf("org.springframework.web.server.WebExceptionHandler");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("handle").and(takesArguments(2))
                        .and(takesArgument(0, named("org.springframework.web.server.ServerWebExchange")))
                        .and(takesArgument(1, Throwable.class)),
                WebExceptionHandlerInstrumentation.class.getName() + "$HandleAdvice");
    }

    static final class HandleAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) ServerWebExchange exchange, @Advice.Argument(1) Throwable thrown) {
            WebFluxServerCalls.handling(ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()), thrown);
        }
    }
}
