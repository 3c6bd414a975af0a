package io.rpctrace.instrumentation.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class MethodPatternsTest {
    private static final String EXAMPLE =
            "com.shop.OrderService[place,cancel];com.shop.dao.*;com.shop.api.*Controller;com.shop.Cache[get]:metrics";

    @Test
    void anExactClassWithAMethodList() {
        MethodPatterns p = MethodPatterns.parse(EXAMPLE);
        assertEquals(4, p.patterns().size());
        assertTrue(p.errors().isEmpty(), p.errors().toString());
        assertTrue(p.mayName("com.shop.OrderService"));
        assertNotNull(p.match("com.shop.OrderService", "place"));
        assertNotNull(p.match("com.shop.OrderService", "cancel"));
        assertNull(p.match("com.shop.OrderService", "refund"));
        assertTrue(p.match("com.shop.OrderService", "place").explicitMethods());
        assertFalse(p.mayName("com.shop.OrderServiceImpl"));
        assertFalse(p.mayName("com.shop.OrderService$Line"));
    }

    @Test
    void aPackageIsItsClassesOnly() {
        MethodPatterns p = MethodPatterns.parse("com.shop.dao.*");
        assertTrue(p.mayName("com.shop.dao.UserDao"));
        assertTrue(p.mayName("com.shop.dao.UserDao$Row"));
        assertFalse(p.mayName("com.shop.dao.jdbc.JdbcUserDao"));
        assertFalse(p.mayName("com.shop.daos.UserDao"));
        assertFalse(p.match("com.shop.dao.UserDao", "find").explicitMethods());
    }

    @Test
    void twoStarsTakeSubPackages() {
        MethodPatterns p = MethodPatterns.parse("com.shop.**");
        assertTrue(p.mayName("com.shop.Main"));
        assertTrue(p.mayName("com.shop.dao.jdbc.JdbcUserDao"));
        assertFalse(p.mayName("com.shopping.Main"));
    }

    @Test
    void aGlobOnTheSimpleName() {
        MethodPatterns p = MethodPatterns.parse("com.shop.api.*Controller;com.shop.Order*");
        assertTrue(p.mayName("com.shop.api.OrderController"));
        assertTrue(p.mayName("com.shop.api.Controller"));
        assertFalse(p.mayName("com.shop.api.OrderControllerTest"));
        assertFalse(p.mayName("com.shop.api.v2.OrderController"));
        assertTrue(p.mayName("com.shop.OrderService"));
        assertFalse(p.mayName("com.shop.Cart"));
    }

    @Test
    void metricsSwitch() {
        MethodPatterns p = MethodPatterns.parse(EXAMPLE);
        assertTrue(p.match("com.shop.Cache", "get").metricsOnly());
        assertNull(p.match("com.shop.Cache", "put"));
        assertFalse(p.match("com.shop.dao.UserDao", "find").metricsOnly());
        assertTrue(MethodPatterns.parse("com.shop.dao.*:metrics").match("com.shop.dao.UserDao", "x").metricsOnly());
    }

    @Test
    void aPipeSeparatesMethodsToo() {
        // agent arguments are split on commas
        MethodPatterns p = MethodPatterns.parse("com.shop.OrderService[place|cancel]");
        assertNotNull(p.match("com.shop.OrderService", "cancel"));
        assertNull(p.match("com.shop.OrderService", "place|cancel"));
    }

    @Test
    void badPatternsAreReportedAndTheOthersApply() {
        MethodPatterns p = MethodPatterns.parse(
                "com.shop.A[x;com.*.B;java.util.*;com.shop.C:fast;*;com.shop.D[];com.shop.E[1x];com.shop.Ok;com.shop.F]");
        assertEquals(List.of("com.shop.Ok"), Arrays.asList(p.patterns().stream().map(Object::toString).toArray()));
        List<String> e = p.errors();
        assertEquals(8, e.size(), e.toString());
        assertEquals("'com.shop.A[x' has no closing ] at the end of its method list", e.get(0));
        assertTrue(e.get(1).startsWith("'com.*.B' has a * in its package"), e.get(1));
        assertTrue(e.get(2).startsWith("'java.util.*' is in java.*"), e.get(2));
        assertEquals("'com.shop.C:fast' has an unknown switch ':fast' (only ':metrics')", e.get(3));
        assertEquals("'*' names every class: give a package (com.shop.*)", e.get(4));
        assertEquals("'com.shop.D[]' has an empty method list", e.get(5));
        assertEquals("'com.shop.E[1x]' has a method name that is not a Java identifier: '1x'", e.get(6));
        assertEquals("'com.shop.F]' has a ] without [", e.get(7));
    }

    @Test
    void blankIsNothing() {
        assertTrue(MethodPatterns.parse(null).isEmpty());
        assertTrue(MethodPatterns.parse("  ; ").isEmpty());
        assertTrue(MethodPatterns.parse(" ; ").errors().isEmpty());
        assertFalse(MethodPatterns.parse(" com.shop.A ; ").isEmpty());
    }

    @Test
    void rpctraceAndTheJdkCannotBeNamed() {
        for (String s : new String[] {"io.rpctrace.Trace", "io.rpctrace.*", "io.rpctrace.internal.**",
            "io.rpctrace.context.Scope", "sun.misc.Unsafe", "jdk.internal.Foo", "javax.sql.*",
            "com.sun.net.httpserver.*", "net.bytebuddy.**"}) {
            MethodPatterns p = MethodPatterns.parse(s);
            assertTrue(p.isEmpty(), s);
            assertEquals(1, p.errors().size(), s);
        }
    }

    @Test
    void rpctraceExamplesAreApplications() {
        MethodPatterns p = MethodPatterns.parse("io.rpctrace.examples.shop.Orders;io.rpctrace.**");
        assertTrue(p.errors().isEmpty(), p.errors().toString());
        assertTrue(p.mayName("io.rpctrace.examples.shop.Orders"));
        assertFalse(p.mayName("io.rpctrace.Trace"));
        assertFalse(p.mayName("io.rpctrace.internal.Tracing"));
        assertFalse(p.mayName("io.rpctrace.instrumentation.methods.MethodSite"));
    }

    @Test
    void globs() {
        assertTrue(MethodPatterns.Pattern.glob("*", ""));
        assertTrue(MethodPatterns.Pattern.glob("A*B*C", "AxxBxxC"));
        assertTrue(MethodPatterns.Pattern.glob("A*B*C", "ABC"));
        assertFalse(MethodPatterns.Pattern.glob("A*B*C", "ABCD"));
        assertFalse(MethodPatterns.Pattern.glob("Order", "Orders"));
    }
}
