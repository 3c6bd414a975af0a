package io.rpctrace.instrumentation.methods;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MethodSitesTest {
    @Test
    void simpleNames() {
        assertEquals("OrderService", MethodSites.simpleName("com.shop.OrderService"));
        assertEquals("Line", MethodSites.simpleName("com.shop.Order$Line"));
        assertEquals("Order$1", MethodSites.simpleName("com.shop.Order$1"));
        assertEquals("Main", MethodSites.simpleName("Main"));
    }

    @Test
    void parametersBySimpleName() {
        assertEquals("()", MethodSites.simpleParams("()"));
        assertEquals("(String,List,int[],Entry,Object[][],String[])", MethodSites.simpleParams(
                "(java.lang.String,java.util.List,[I,java.util.Map$Entry,[[Ljava.lang.Object;,[Ljava.lang.String;)"));
    }

    @Test
    void javaSignatureAsTheAdviceRendersIt() throws Exception {
        assertEquals("(java.util.Collection)", MethodSites.javaSignature(List.class.getMethod("addAll",
                java.util.Collection.class)));
        assertEquals("(int,[Ljava.lang.Object;)", MethodSites.javaSignature(MethodSitesTest.class
                .getDeclaredMethod("sample", int.class, Object[].class)));
    }

    @SuppressWarnings("unused")
    private static void sample(int a, Object... rest) {
    }

    @Test
    void accessorsAndObjectMethodsAreLeftOut() {
        assertTrue(MethodFilter.isAccessorOrObjectMethod("getName", 0, false, false));
        assertTrue(MethodFilter.isAccessorOrObjectMethod("isOpen", 0, false, true));
        assertTrue(MethodFilter.isAccessorOrObjectMethod("setName", 1, true, false));
        assertTrue(MethodFilter.isAccessorOrObjectMethod("toString", 0, false, false));
        assertTrue(MethodFilter.isAccessorOrObjectMethod("hashCode", 0, false, false));
        assertTrue(MethodFilter.isAccessorOrObjectMethod("equals", 1, false, true));
        assertFalse(MethodFilter.isAccessorOrObjectMethod("get", 0, false, false));
        assertFalse(MethodFilter.isAccessorOrObjectMethod("getaway", 0, false, false));
        assertFalse(MethodFilter.isAccessorOrObjectMethod("getOrder", 1, false, false));
        assertFalse(MethodFilter.isAccessorOrObjectMethod("isOpen", 0, false, false));
        assertFalse(MethodFilter.isAccessorOrObjectMethod("setName", 1, false, false));
        assertFalse(MethodFilter.isAccessorOrObjectMethod("place", 1, false, false));
    }

    @Test
    void nestingStopsBeforeTheIdGrammarEnds() {
        StringBuilder prefix = new StringBuilder("0");
        int depth = 1;
        while (!MethodSite.tooDeep(prefix.toString())) {
            prefix.append(".2");
            depth++;
        }
        assertEquals(63, depth);   // + the child's segment and a call's = 64 (docs/model.md#ids)
        assertTrue(MethodSite.tooDeep("0." + "123456789.".repeat(50) + "1"));
    }
}
