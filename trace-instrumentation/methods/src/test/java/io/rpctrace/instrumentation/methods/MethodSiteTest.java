package io.rpctrace.instrumentation.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.acme.Orders;
import io.rpctrace.CollectingWriter;
import io.rpctrace.context.CurrentScope;
import io.rpctrace.context.Scope;
import io.rpctrace.internal.Tracing;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the advice asks of a {@link MethodSite}, without bytecode: names, spans, records, timers.
 * Sites are resolved afresh ({@link MethodSites#resolve}) so that each test's settings apply.
 */
class MethodSiteTest {
    private CollectingWriter writer;

    @BeforeEach
    void start() {
        writer = CollectingWriter.startTracing("service", "shop");
        MethodSettings.install(MethodPatterns.parse("com.acme.Orders[get]:metrics"),
                true);
    }

    @AfterEach
    void reset() {
        CurrentScope.restore(null);
        MethodSettings.install(MethodPatterns.none(), true);
        CollectingWriter.resetTracing();
    }

    @Test
    void namesFromTheClassTheMethodAndTheAnnotation() {
        MethodSite place = MethodSites.resolve(Orders.class, "place(java.lang.String,int)");
        assertEquals("shop_Orders_place", place.module());
        assertEquals("com.acme.Orders.place(String,int)", place.action());
        assertTrue(place.records());
        assertSame(MethodSites.of(Orders.class, "place(java.lang.String,int)"),
                MethodSites.of(Orders.class, "place(java.lang.String,int)"));   // resolved once, then kept
        MethodSite price = MethodSites.resolve(Orders.class, "price(java.lang.String)");
        assertEquals("shop_pricing_quote", price.module());
        assertTrue(price.records());
        assertFalse(MethodSites.resolve(Orders.class, "hot()").records());          // @Traced(records = false)
        assertFalse(MethodSites.resolve(Orders.class, "get(java.lang.String)").records());   // :metrics
    }

    @Test
    void recordsOffEverywhere() {
        MethodSettings.install(MethodPatterns.none(), false);
        assertFalse(MethodSites.resolve(Orders.class, "place(java.lang.String,int)").records());
    }

    @Test
    void aCallIsALocalSpanAtTheChildPrefix() {
        Scope request = Scope.enter("4bf92f3577b34da6a3ce929d0e0e4736", "0.3", false);   // current id 0.3.1
        CurrentScope.set(request);
        MethodSite place = MethodSites.resolve(Orders.class, "place(java.lang.String,int)");
        Scope child = place.enter(request);
        assertSame(child, CurrentScope.get());
        assertEquals("0.3.2", child.prefix());
        assertEquals("0.3.2.2", child.nextCallId());                    // a call inside it
        place.exit(child, request, System.nanoTime() - 1_500_000, null);
        assertSame(request, CurrentScope.get());
        Map<String, Object> r = writer.records().get(0);
        assertEquals("method", r.get("x_name"));
        assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", r.get("x_trace_id"));
        assertEquals("0.3.2", r.get("x_rpc_id"));
        assertEquals("shop_Orders_place", r.get("x_module"));
        assertEquals("com.acme.Orders.place(String,int)", r.get("x_action"));
        assertTrue((Double) r.get("x_duration") >= 0.0015, r.toString());
        assertTrue(r.containsKey("x_pid"));
    }

    @Test
    void outsideAnyScopeATraceOfItsOwn() {
        MethodSite place = MethodSites.resolve(Orders.class, "place(java.lang.String,int)");
        Scope child = place.enter(null);
        assertEquals("0.1", child.prefix());
        place.exit(child, null, System.nanoTime(), null);
        assertNull(CurrentScope.get());
        assertEquals("0.1", writer.records().get(0).get("x_rpc_id"));
    }

    @Test
    void aThrowableMakesMethodError() {
        MethodSite place = MethodSites.resolve(Orders.class, "place(java.lang.String,int)");
        Scope child = place.enter(null);
        place.exit(child, null, System.nanoTime(), new IllegalStateException("sold out"));
        Map<String, Object> r = writer.records().get(0);
        assertEquals("method.error", r.get("x_name"));
        assertEquals("java.lang.IllegalStateException", r.get("x_code"));
        assertEquals("java.lang.IllegalStateException: sold out", r.get("x_msg"));
        assertTrue(((String) r.get("x_backtrace")).startsWith("java.lang.IllegalStateException: sold out"),
                (String) r.get("x_backtrace"));
    }

    @Test
    void metricsOnlyWritesNothingAndFeedsTheTimer() {
        MethodSite get = MethodSites.resolve(Orders.class, "get(java.lang.String)");
        for (int i = 0; i < 3; i++) {
            assertNull(get.enter(null));
            get.exit(null, null, System.nanoTime() - 1000, i == 2 ? new RuntimeException() : null);
        }
        assertTrue(writer.records().isEmpty(), writer.lines().toString());
        MethodSite place = MethodSites.resolve(Orders.class, "place(java.lang.String,int)");
        place.exit(place.enter(null), null, System.nanoTime(), null);
        writer.clear();
        Tracing.get().metrics().flush();
        List<Map<String, Object>> timers = writer.records().stream().filter(r -> "metric.timer".equals(r.get("x_name")))
                .collect(Collectors.toList());
        Map<String, Object> t = timers.stream().filter(r -> "shop_Orders_get".equals(r.get("x_module"))).findFirst()
                .orElseThrow(() -> new AssertionError(timers.toString()));
        assertEquals("method", t.get("x_action"));
        assertEquals(3L, ((Map<?, ?>) t.get("x_extra")).get("count"));
        assertEquals(1L, ((Map<?, ?>) t.get("x_extra")).get("errors"));
        Map<String, Object> p = timers.stream().filter(r -> "shop_Orders_place".equals(r.get("x_module"))).findFirst()
                .orElseThrow(() -> new AssertionError(timers.toString()));
        assertEquals(1L, ((Map<?, ?>) p.get("x_extra")).get("count"));
    }

    @Test
    void aNewTracerGetsTheTimerAgain() {
        MethodSite get = MethodSites.resolve(Orders.class, "get(java.lang.String)");
        get.exit(null, null, System.nanoTime(), null);
        CollectingWriter second = CollectingWriter.startTracing("service", "shop");
        get.exit(null, null, System.nanoTime(), null);
        Tracing.get().metrics().flush();
        assertTrue(second.records().stream().anyMatch(r -> "shop_Orders_get".equals(r.get("x_module"))
                && Long.valueOf(1).equals(((Map<?, ?>) r.get("x_extra")).get("count"))), second.lines().toString());
    }
}
