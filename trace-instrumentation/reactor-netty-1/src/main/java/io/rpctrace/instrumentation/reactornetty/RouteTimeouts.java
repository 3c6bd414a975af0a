package io.rpctrace.instrumentation.reactornetty;

import java.lang.reflect.Field;

/**
 * Tells a Spring Cloud Gateway route's response timeout from the other Reactor {@code timeout()}s.
 * The gateway's {@code NettyRoutingFilter} (4.x, 5.x) puts
 * {@code timeout(responseTimeout, Mono.defer(() -> Mono.error(new TimeoutException(…))))} after its
 * client call, and answers the {@code TimeoutException} with a 504; the timeout cancels the call
 * first. That fallback, a {@code MonoDefer} whose supplier is one of the filter's lambdas, is what
 * names the timeout here (this module does not depend on the gateway; only JDK types, by name).
 * A {@code timeout()} the application puts on its own WebClient call stays a caller's cancel.
 */
final class RouteTimeouts {
    static final String GATEWAY_ROUTING_FILTER_LAMBDA =
            "org.springframework.cloud.gateway.filter.NettyRoutingFilter$$Lambda";
    private static final String DEFER = "reactor.core.publisher.MonoDefer";

    /** {@code MonoDefer.supplier} (a final field since reactor-core 3.0), per class; null if unreadable. */
    private static final ClassValue<Field> SUPPLIER = new ClassValue<Field>() {
        @Override
        protected Field computeValue(Class<?> type) {
            try {
                Field f = type.getDeclaredField("supplier");
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException | RuntimeException e) {
                return null; // reactor-core as a named module that does not open it: a plain cancel
            }
        }
    };

    private RouteTimeouts() {
    }

    /** True when {@code fallback} (a timeout's fallback publisher) is the gateway's response-timeout error. */
    static boolean isRouteTimeout(Object fallback) {
        return isDeferredBy(fallback, GATEWAY_ROUTING_FILTER_LAMBDA);
    }

    /** True when {@code publisher} is a {@code Mono.defer(supplier)} whose supplier's class name starts with {@code prefix}. */
    static boolean isDeferredBy(Object publisher, String prefix) {
        if (publisher == null || !DEFER.equals(publisher.getClass().getName())) {
            return false;
        }
        Field supplier = SUPPLIER.get(publisher.getClass());
        if (supplier == null) {
            return false;
        }
        try {
            Object s = supplier.get(publisher);
            return s != null && s.getClass().getName().startsWith(prefix);
        } catch (IllegalAccessException | RuntimeException e) {
            return false;
        }
    }
}
