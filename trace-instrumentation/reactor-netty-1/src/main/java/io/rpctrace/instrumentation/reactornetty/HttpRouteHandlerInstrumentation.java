package io.rpctrace.instrumentation.reactornetty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import reactor.netty.http.server.HttpRouteHandlerMetadata;
import reactor.netty.http.server.HttpServerRequest;

/**
 * {@code DefaultHttpServerRoutes.HttpRouteHandler.apply(request, response)}: the route of
 * {@code HttpServer.route(...)} that matched the request is about to handle it; its path template
 * ({@code /items/{id}}, public as {@code HttpRouteHandlerMetadata.getPath()}) becomes the
 * {@code x_module} of the request's {@code request.info}, with the request's method, as WebFlux's
 * patterns do (docs/instrumentation/reactive.md). A route made from a predicate of the
 * application's own has no path and leaves the module as it is.
 */
final class HttpRouteHandlerInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("reactor.netty.http.server.DefaultHttpServerRoutes$HttpRouteHandler");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("apply").and(takesArguments(2))
                        .and(takesArgument(0, named("reactor.netty.http.server.HttpServerRequest"))),
                HttpRouteHandlerInstrumentation.class.getName() + "$ApplyAdvice");
    }

    static final class ApplyAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object route, @Advice.Argument(0) Object request) {
            if (route instanceof HttpRouteHandlerMetadata && request instanceof HttpServerRequest) {
                // nothing for a request no span was started for
                ReactorNettyServerCalls.route(request, ((HttpServerRequest) request).method().name(),
                        ((HttpRouteHandlerMetadata) route).getPath());
            }
        }
    }
}
