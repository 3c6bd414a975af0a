package io.rpctrace.it.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.shop.ShopApp;
import io.rpctrace.testing.ChildJvm;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.TraceRecord;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shop application ({@code com.shop}, no rpctrace code) run with the packaged agent and the
 * {@code methods} key (docs/instrumentation/methods.md).
 */
class MethodsTest {
    static final String PATTERNS =
            "com.shop.OrderService[place,cancel];com.shop.dao.*;com.shop.api.*Controller;com.shop.Cache[get]:metrics";

    static ChildJvm.Result shop(String agentArgs) {
        return ChildJvm.withAgent().agentArgs("service=shop," + agentArgs).main(ShopApp.class).run().assertExitCode(0);
    }

    static Set<String> methodModules(Records r) {
        return r.where(t -> t.name().startsWith("method")).list().stream().map(t -> t.string("x_module"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    static TraceRecord timer(Records r, String module) {
        return r.named("metric.timer").where(t -> module.equals(t.string("x_module"))).single()
                .has("x_action", "method").record();
    }

    @Test
    void thePatternsSelectExactlyTheMethodsTheyName() {
        Records r = Records.of(shop("methods=" + PATTERNS).records());
        // not: OrderService.refund (not listed), Cache.get (metrics only), Cache.put, ApiHelper
        // (not *Controller), JdbcSupport (sub-package), constructors, getters, setters, toString,
        // the private UserDao.key, the lambdas
        assertEquals(new TreeSet<>(List.of("shop_OrderController_create", "shop_OrderService_place",
                "shop_OrderService_cancel", "shop_OrderDao_createTable", "shop_OrderDao_insert", "shop_UserDao_find")),
                methodModules(r));
        r.named("method").module("shop_OrderService_place").single()
                .has("x_action", "com.shop.OrderService.place(String,int)");
        r.named("method").module("shop_UserDao_find").single().has("x_action", "com.shop.dao.UserDao.find(long)");
    }

    @Test
    void callsInsideNestUnderTheMethodsThatMakeThem() {
        ChildJvm.Result run = shop("methods=" + PATTERNS);
        run.assertLine("RESULT order order 1");
        Records r = Records.of(run.records());
        String trace = r.named("http.get").where(t -> t.string("x_action").contains("/orders")).single()
                .hasRpcId("0.1").traceId();   // main's call, outside any scope: a trace of its own
        Records t = r.inTrace(trace);
        t.assertUniqueIds();
        t.named("request.info").where(x -> x.string("x_action").contains("/orders")).single().hasRpcId("0.1.1");
        t.named("method").module("shop_OrderController_create").single().hasRpcId("0.1.2");
        t.named("method").module("shop_OrderService_place").single().hasRpcId("0.1.2.2");
        t.named("http.get").where(x -> x.string("x_action").contains("/price")).single().hasRpcId("0.1.2.2.2");
        t.named("request.info").where(x -> x.string("x_action").contains("/price")).single().hasRpcId("0.1.2.2.2.1");
        t.named("method").module("shop_OrderDao_insert").single().hasRpcId("0.1.2.2.3");
        t.named("h2.request").single().hasRpcId("0.1.2.2.3.2")
                .has("x_action", "insert into orders (item, qty, total) values (?, ?, ?)");
        assertEquals(List.of("0.1", "0.1.1", "0.1.2", "0.1.2.2", "0.1.2.2.2", "0.1.2.2.2.1", "0.1.2.2.3",
                "0.1.2.2.3.2"), t.rpcIds());
        // a span lasts as long as its method, so it encloses what it called
        double place = (Double) number(t.named("method").module("shop_OrderService_place").single().record());
        double insert = (Double) number(t.named("method").module("shop_OrderDao_insert").single().record());
        assertTrue(place >= insert, place + " < " + insert);
    }

    private static Object number(TraceRecord r) {
        return ((Number) r.fields().get("x_duration")).doubleValue();
    }

    @Test
    void aThrowingMethodWritesMethodErrorAndRethrows() {
        ChildJvm.Result run = shop("methods=" + PATTERNS);
        run.assertLine("RESULT cancel order 1 already shipped");
        Records r = Records.of(run.records());
        TraceRecord e = r.named("method.error").single().hasRpcId("0.1")    // called from main: a trace of its own
                .has("x_module", "shop_OrderService_cancel")
                .has("x_action", "com.shop.OrderService.cancel(long)")
                .has("x_code", "java.lang.IllegalStateException")
                .has("x_msg", "java.lang.IllegalStateException: order 1 already shipped").record();
        assertTrue(e.string("x_backtrace").contains("at com.shop.OrderService.cancel(OrderService.java:"),
                e.string("x_backtrace"));
        TraceRecord t = timer(r, "shop_OrderService_cancel");
        assertEquals(1, ((Number) t.extra("count")).intValue());
        assertEquals(1, ((Number) t.extra("errors")).intValue());
    }

    @Test
    void everyTracedMethodFeedsItsTimer() {
        Records r = Records.of(shop("methods=" + PATTERNS).records());
        for (String m : List.of("shop_OrderController_create", "shop_OrderService_place", "shop_OrderDao_insert",
                "shop_UserDao_find")) {
            TraceRecord t = timer(r, m);
            assertEquals(1, ((Number) t.extra("count")).intValue(), m);
            assertEquals(0, ((Number) t.extra("errors")).intValue(), m);
            double min = ((Number) t.extra("min_s")).doubleValue();
            double max = ((Number) t.extra("max_s")).doubleValue();
            double p99 = ((Number) t.extra("p99_s")).doubleValue();
            assertTrue(min > 0 && min <= p99 && p99 <= max, t.line());
        }
        // :metrics: timed, no record
        TraceRecord cache = timer(r, "shop_Cache_get");
        assertEquals(3, ((Number) cache.extra("count")).intValue());
        assertEquals(0, r.where(t -> "shop_Cache_get".equals(t.string("x_module")) && t.name().startsWith("method"))
                .size());
    }

    @Test
    void recordsOffKeepsOnlyTheMetrics() {
        ChildJvm.Result run = shop("methods=" + PATTERNS + ",methods.records=false");
        Records r = Records.of(run.records());
        assertEquals(0, r.where(t -> t.name().startsWith("method")).size(), r.toString());
        for (String m : List.of("shop_OrderController_create", "shop_OrderService_place", "shop_OrderService_cancel",
                "shop_OrderDao_insert", "shop_UserDao_find", "shop_Cache_get")) {
            timer(r, m);
        }
        assertEquals(1, ((Number) timer(r, "shop_OrderService_cancel").extra("errors")).intValue());
        // the calls inside keep the ids they have without the methods: no scope of their own
        String trace = r.named("http.get").where(t -> t.string("x_action").contains("/orders")).single().traceId();
        r.inTrace(trace).named("h2.request").single().hasRpcId("0.1.3");
    }

    @Test
    void badPatternsAreReportedOnceAndTheOthersApply() {
        ChildJvm.Result run = shop("methods=com.shop.OrderService[place;com.*.Bad;java.lang.String;com.shop.dao.*");
        List<String> lines = run.stderr().lines().filter(l -> l.startsWith("rpctrace: config methods=")).toList();
        assertEquals(1, lines.size(), run.stderr());
        assertEquals("rpctrace: config methods=com.shop.OrderService[place;com.*.Bad;java.lang.String;com.shop.dao.*"
                + " (agent argument) has patterns that cannot be used: 'com.shop.OrderService[place' has no closing ]"
                + " at the end of its method list, 'com.*.Bad' has a * in its package: only the class name may have one"
                + " (com.shop.*, com.shop.**, com.shop.*Dao), 'java.lang.String' is in java.*, which rpctrace does not"
                + " trace (the tracer itself runs on it); using the other 1", lines.get(0));
        assertEquals(new TreeSet<>(List.of("shop_OrderDao_createTable", "shop_OrderDao_insert", "shop_UserDao_find")),
                methodModules(Records.of(run.records())));
    }

    @Test
    void theApplicationBehavesTheSameWithAndWithoutTheAgent() {
        ChildJvm.Result without = ChildJvm.withoutAgent().main(ShopApp.class).run().assertExitCode(0);
        ChildJvm.Result with = shop("methods=com.shop.**");
        List<String> expected = List.of("order order 1", "cancel order 1 already shipped", "refund refund-1",
                "cache vv-", "helper #3", "user users:7 users UserDao(users)", "table people 1");
        assertEquals(expected, without.lines("RESULT "));
        assertEquals(expected, with.lines("RESULT "));
        assertEquals(List.of(), with.stderr().lines().filter(l -> l.startsWith("rpctrace:") && !l.startsWith("rpctrace: agent "))
                .toList());
        Records r = Records.of(with.records());
        assertTrue(methodModules(r).containsAll(List.of("shop_ShopApp_main", "shop_PriceClient_quote",
                "shop_ApiHelper_format", "shop_JdbcSupport_open", "shop_Cache_put", "shop_OrderService_refund")),
                methodModules(r).toString());
        r.named("method").module("shop_ShopApp_main").single().has("x_action", "com.shop.ShopApp.main(String[])");
        r.assertUniqueIds();
        // no advice or helper failed, silently or not (docs/metrics.md: rpctrace's own figures)
        assertEquals(0, r.named("metric.counter").where(t -> List.of("rpctrace_advice_errors", "rpctrace_internal_errors")
                .contains(t.string("x_module"))).size(), r.named("metric.counter").toString());
    }
}
