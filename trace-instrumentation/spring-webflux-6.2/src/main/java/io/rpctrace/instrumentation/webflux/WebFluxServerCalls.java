package io.rpctrace.instrumentation.webflux;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.http.HttpRoutes;
import io.rpctrace.instrumentation.http.HttpServerCalls;
import io.rpctrace.instrumentation.reactornetty.ReactorNettyServerCalls;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * What the WebFlux advice tells the request being served, by the server's native request: Reactor
 * Netty's per-request operations, whose {@code request.info} the {@code reactor-netty} module
 * writes, or a servlet container's request (WebFlux on Tomcat or Jetty through Spring's
 * {@code ServletHttpHandlerAdapter}), whose {@code request.info} the {@code servlet} module writes
 * and keeps in the request's attributes. Only JDK types here: this class is loaded outside the
 * application's class loader, so the advice reads Spring's objects and passes plain values.
 */
public final class WebFluxServerCalls {
    private WebFluxServerCalls() {
    }

    // Spring Cloud Gateway's exchange attributes (ServerWebExchangeUtils, by their values: this
    // module does not depend on the gateway): the Route its mapping chose (2.0+), and the Path
    // predicate's pattern with the id of the route it belongs to (3.0.5+). The route id under test
    // (gatewayPredicateRouteAttr) is removed once a route is chosen.
    public static final String GATEWAY_ROUTE =
            "org.springframework.cloud.gateway.support.ServerWebExchangeUtils.gatewayRoute";
    public static final String GATEWAY_MATCHED_PATH =
            "org.springframework.cloud.gateway.support.ServerWebExchangeUtils.gatewayPredicateMatchedPathAttr";
    public static final String GATEWAY_MATCHED_PATH_ROUTE_ID =
            "org.springframework.cloud.gateway.support.ServerWebExchangeUtils.gatewayPredicateMatchedPathRouteIdAttr";

    /** {@code Route.getId()}, looked up once per class (the route's class is the gateway's). */
    private static final ClassValue<Method> ROUTE_ID = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                return type.getMethod("getId");
            } catch (NoSuchMethodException | SecurityException e) {
                return null;
            }
        }
    };

    /**
     * {@code ServletRequest.getAttribute(String)} of a servlet container's request class (javax or
     * jakarta, by reflection: this module depends on neither), per class; null for other requests.
     */
    private static final ClassValue<Method> GET_ATTRIBUTE = new ClassValue<Method>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                Method m = type.getMethod("getAttribute", String.class);
                if (!Modifier.isPublic(m.getDeclaringClass().getModifiers())) {
                    m.setAccessible(true);
                }
                return m;
            } catch (NoSuchMethodException | RuntimeException e) {
                return null;
            }
        }
    };

    /** The id of the gateway's {@code Route} {@code route}, or null. */
    public static Object gatewayRouteId(Object route) {
        Method getId = route == null ? null : ROUTE_ID.get(route.getClass());
        if (getId == null) {
            return null;
        }
        try {
            return getId.invoke(route);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * What names a request Spring Cloud Gateway routes: the {@code Path} pattern that matched it
     * ({@code /api/catalog/**}) when it belongs to the chosen route (a pattern left by another
     * route whose other predicates failed does not), else {@code route <id>} for a route
     * without a path predicate; null when the gateway chose no route. Never the raw path, so
     * metric keys carry no ids.
     */
    public static Object gatewayRoute(Object routeId, Object matchedPath, Object matchedPathRouteId) {
        if (routeId == null) {
            return null;
        }
        if (matchedPath != null && (matchedPathRouteId == null || matchedPathRouteId.equals(routeId))) {
            return matchedPath;
        }
        return "route " + routeId;
    }

    /**
     * The handler that will serve the request matched {@code pattern} (a {@code PathPattern}, or
     * null when the handler mapping keeps none): it becomes {@code x_module}, {@code method + " " +
     * pattern}, as Spring MVC's does on a servlet container.
     */
    public static void matched(Object nativeRequest, String method, Object pattern) {
        if (pattern == null || nativeRequest == null) {
            return;
        }
        String route = pattern.toString();
        if (!ReactorNettyServerCalls.route(nativeRequest, method, route)) {
            HttpRoutes.apply(servletSpan(nativeRequest), method, route);
        }
    }

    /**
     * The {@code request.info} span the {@code servlet} module keeps in a servlet request's
     * attributes ({@code HttpServerCalls.SPAN_ATTRIBUTE}), or null (not a servlet request, or one
     * served without it).
     */
    static Span servletSpan(Object nativeRequest) {
        Method getAttribute = GET_ATTRIBUTE.get(nativeRequest.getClass());
        if (getAttribute == null) {
            return null;
        }
        try {
            Object span = getAttribute.invoke(nativeRequest, HttpServerCalls.SPAN_ATTRIBUTE);
            return span instanceof Span ? (Span) span : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Spring's error handling got {@code thrown} from the handler chain: if the response it renders
     * is a 5xx, the request's record carries it (a 4xx from a {@code ResponseStatusException} is an
     * answer, not a failure, as on a servlet container).
     */
    public static void handling(Object nativeRequest, Throwable thrown) {
        ReactorNettyServerCalls.handledError(nativeRequest, thrown);
    }
}
