package io.rpctrace.instrumentation.webflux;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code DispatcherHandler.handleRequestWith(exchange, handler)} (5.3+; {@code invokeHandler}
 * before): a handler mapping chose the handler and left its pattern in the exchange's attributes,
 * {@code HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE} for {@code @RequestMapping} methods and
 * functional routes alike ({@code RouterFunctions.MATCHING_PATTERN_ATTRIBUTE} read too, for a
 * router mapping that sets only that one). Spring Cloud Gateway's route mapping sets neither: the
 * route it chose names the request instead ({@link WebFluxServerCalls#gatewayRoute}).
 */
final class DispatcherHandlerInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.springframework.web.reactive.DispatcherHandler");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("handleRequestWith").or(named("invokeHandler")).and(takesArguments(2))
                        .and(takesArgument(0, named("org.springframework.web.server.ServerWebExchange"))),
                DispatcherHandlerInstrumentation.class.getName() + "$HandleAdvice");
    }

    static final class HandleAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) ServerWebExchange exchange) {
            Object pattern = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
            if (pattern == null) {
                pattern = exchange.getAttribute(RouterFunctions.MATCHING_PATTERN_ATTRIBUTE);
            }
            if (pattern == null) {   // Spring Cloud Gateway's handler mapping leaves its route instead
                pattern = WebFluxServerCalls.gatewayRoute(
                        WebFluxServerCalls.gatewayRouteId(exchange.getAttribute(WebFluxServerCalls.GATEWAY_ROUTE)),
                        exchange.getAttribute(WebFluxServerCalls.GATEWAY_MATCHED_PATH),
                        exchange.getAttribute(WebFluxServerCalls.GATEWAY_MATCHED_PATH_ROUTE_ID));
            }
            if (pattern != null) {
                ServerHttpRequest request = exchange.getRequest();
                WebFluxServerCalls.matched(ServerHttpRequestDecorator.getNativeRequest(request),
                        request.getMethod().name(), pattern);
            }
        }
    }
}
