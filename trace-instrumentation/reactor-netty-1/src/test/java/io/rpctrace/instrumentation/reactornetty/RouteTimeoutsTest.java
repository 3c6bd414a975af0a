package io.rpctrace.instrumentation.reactornetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rpctrace.CollectingWriter;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * A cancel before the response head is the caller's ({@code CANCELLED}) unless it comes from a
 * gateway route's response timeout ({@code READ_TIMEOUT}): the timeout's fallback is recognised by
 * the class of its deferred supplier, and only a disposal inside that timeout marks the call.
 */
class RouteTimeoutsTest {
    /** The prefix of this test's own lambdas, standing in for the gateway filter's. */
    private static final String OWN_LAMBDA = RouteTimeoutsTest.class.getName() + "$$Lambda";

    private CollectingWriter writer;

    @BeforeEach
    void start() {
        writer = CollectingWriter.startTracing();
    }

    @AfterEach
    void stop() {
        CollectingWriter.resetTracing();
    }

    @Test
    void aDeferredFallbackIsRecognisedByItsSuppliersClass() {
        Mono<Object> own = Mono.defer(() -> Mono.error(new IllegalStateException("late")));
        assertTrue(RouteTimeouts.isDeferredBy(own, OWN_LAMBDA));
        assertFalse(RouteTimeouts.isDeferredBy(own, RouteTimeouts.GATEWAY_ROUTING_FILTER_LAMBDA));
        assertFalse(RouteTimeouts.isRouteTimeout(Mono.error(new IllegalStateException("late"))));
        assertFalse(RouteTimeouts.isRouteTimeout(null));
    }

    private static Object call(String traceId) {
        Object ops = new Object();
        try (Span req = Trace.enter(traceId, null)) {
            ReactorNettyClientCalls.start(ops, "GET", "http://127.0.0.1:1/slow", null, null);
        }
        return ops;
    }

    @Test
    void aCancelIsCancelledUnlessARouteTimeoutDisposedTheCall() {
        Object byCaller = call("t-caller");
        ReactorNettyClientCalls.disposing(byCaller); // not inside a route timeout: a caller's cancel
        ReactorNettyClientCalls.cancelled(byCaller);

        Object byOtherTimeout = call("t-other");
        boolean other = ReactorNettyClientCalls.timeoutFiring(Mono.defer(() -> Mono.empty()));
        assertFalse(other, "a timeout that is not a gateway route's marks nothing");
        ReactorNettyClientCalls.disposing(byOtherTimeout);
        ReactorNettyClientCalls.timeoutFired(other);
        ReactorNettyClientCalls.cancelled(byOtherTimeout);

        Object byRoute = call("t-route");
        Object disposedLater = call("t-later");
        boolean firing = ReactorNettyClientCalls.routeTimeoutFiring();
        ReactorNettyClientCalls.disposing(byRoute);
        ReactorNettyClientCalls.timeoutFired(firing);
        ReactorNettyClientCalls.disposing(disposedLater); // after the timeout returned
        ReactorNettyClientCalls.cancelled(byRoute);     // the cancel callback, later, on the event loop
        ReactorNettyClientCalls.cancelled(disposedLater);

        List<Map<String, Object>> failed = writer.named("http.get.error");
        assertEquals(4, failed.size(), failed.toString());
        assertEquals("CANCELLED", code(failed, "t-caller"));
        assertEquals("CANCELLED", code(failed, "t-other"));
        assertEquals("READ_TIMEOUT", code(failed, "t-route"));
        assertEquals("CANCELLED", code(failed, "t-later"));
    }

    private static Object code(List<Map<String, Object>> records, String traceId) {
        for (Map<String, Object> r : records) {
            if (traceId.equals(r.get("x_trace_id"))) {
                return r.get("x_code");
            }
        }
        throw new AssertionError("no record in trace " + traceId + ": " + records);
    }
}
