package io.rpctrace.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CallerModuleTest {
    @Test
    void classAndMethodInSnakeCase() {
        assertEquals("order_dao_find", CallerModule.format("com.acme.order.OrderDao", "find"));
        assertEquals("order_dao_find_by_id", CallerModule.format("OrderDao", "findById"));
        assertEquals("http_client_send_a_request", CallerModule.format("a.b.HTTPClient", "sendARequest"));
        assertEquals("order_service_place", CallerModule.format("a.OrderService", "lambda$place$0"));
        assertEquals("outer_inner_run", CallerModule.format("a.Outer$Inner", "run"));
    }

    private static StackTraceElement frame(String cls, String method) {
        return new StackTraceElement(cls, method, null, -1);
    }

    @Test
    void theFirstApplicationFrameNamesTheCall() {
        StackTraceElement[] stack = {
            frame("io.rpctrace.instrumentation.jdbc.JdbcCalls", "executeStart"),
            frame("org.mariadb.jdbc.ClientPreparedStatement", "executeQuery"),
            frame("com.zaxxer.hikari.pool.HikariProxyPreparedStatement", "executeQuery"),
            frame("com.acme.order.OrderDao", "findById"),
            frame("com.acme.order.OrderService", "place"),
            frame("java.lang.Thread", "run"),
        };
        assertEquals("order_dao_find_by_id", CallerModule.find(stack, 40, null));
        assertEquals("order_service_place", CallerModule.find(stack, 40, new String[] {"com.acme.order.OrderS"}));
        assertNull(CallerModule.find(stack, 3, null));
        assertNull(CallerModule.find(stack, 40, new String[] {"org.other"}));
    }

    /** Quarkus's pool (Agroal) and Dropwizard's SQL library (Jdbi) sit between the caller and the driver. */
    @Test
    void agroalAndJdbiAreNotTheCaller() {
        StackTraceElement[] stack = {
            frame("org.postgresql.jdbc.PgStatement", "executeQuery"),
            frame("io.agroal.pool.wrapper.StatementWrapper", "executeQuery"),
            frame("org.jdbi.v3.core.statement.SqlLoggerUtil", "wrap"),
            frame("org.jdbi.v3.core.Jdbi", "withHandle"),
            frame("com.acme.order.OrderResource", "lambda$find$0"),
        };
        assertEquals("order_resource_find", CallerModule.find(stack, 40, null));
    }

    /**
     * Quarkus's Panache and session plumbing (seen in a Quarkus 3.34 app: every query was
     * {@code abstract_jpa_operations_count}, {@code common_panache_query_impl_list}, ...) sit between
     * the application and Hibernate; an entity's enhanced static method is the application's.
     */
    @Test
    void quarkusPlumbingIsNotTheCaller() {
        StackTraceElement[] stack = {
            frame("org.hibernate.query.sqm.internal.ConcreteSqmSelectQueryPlan", "performList"),
            frame("io.quarkus.hibernate.orm.panache.common.runtime.CommonPanacheQueryImpl", "list"),
            frame("io.quarkus.hibernate.orm.panache.common.runtime.AbstractJpaOperations", "listAll"),
            frame("com.acme.shop.Fruit", "listAll"),
            frame("com.acme.shop.FruitResource", "list"),
        };
        assertEquals("fruit_list_all", CallerModule.find(stack, 40, null));
        StackTraceElement[] persist = {
            frame("org.hibernate.internal.SessionImpl", "persist"),
            frame("io.quarkus.hibernate.orm.runtime.session.TransactionScopedSession", "persist"),
            frame("com.acme.shop.FruitResource", "add"),
        };
        assertEquals("fruit_resource_add", CallerModule.find(persist, 40, null));
    }

    @Test
    void aDubboConsumerProxyIsNotTheCaller() {
        StackTraceElement[] stack = {
            frame("org.apache.dubbo.rpc.protocol.AbstractInvoker", "invoke"),
            frame("com.acme.order.GreeterDubboProxy0", "greet"),
            frame("com.acme.order.OrderService", "place"),
        };
        assertEquals("order_service_place", CallerModule.find(stack, 40, null));
    }

    /**
     * spring-petclinic-microservices' customers service: Hibernate through datasource-proxy and
     * HikariCP, under a Spring Data repository and its AOP chain (abridged from a thread dump).
     */
    @Test
    void aSpringDataRepositoryBehindDataSourceProxyNamesTheController() {
        StackTraceElement[] stack = {
            frame("org.hsqldb.jdbc.JDBCPreparedStatement", "executeQuery"),
            frame("com.zaxxer.hikari.pool.HikariProxyPreparedStatement", "executeQuery"),
            frame("net.ttddyy.dsproxy.proxy.StatementProxyLogic", "performProxyLogic"),
            frame("net.ttddyy.dsproxy.proxy.jdk.PreparedStatementInvocationHandler", "invoke"),
            frame("jdk.proxy2.$Proxy251", "executeQuery"),
            frame("org.hibernate.sql.exec.spi.JdbcSelectExecutor", "list"),
            frame("org.springframework.data.jpa.repository.support.SimpleJpaRepository", "findAll"),
            frame("org.springframework.aop.framework.ReflectiveMethodInvocation", "proceed"),
            frame("org.springframework.transaction.interceptor.TransactionInterceptor", "invoke"),
            frame("org.springframework.dao.support.PersistenceExceptionTranslationInterceptor", "invoke"),
            frame("org.springframework.orm.jpa.SharedEntityManagerCreator$SharedEntityManagerInvocationHandler",
                    "invoke"),
            frame("org.springframework.aop.framework.JdkDynamicAopProxy", "invoke"),
            frame("jdk.proxy2.$Proxy213", "findAll"),
            frame("org.springframework.samples.petclinic.customers.web.OwnerResource", "findAll"),
        };
        assertEquals("owner_resource_find_all", CallerModule.find(stack, CallerModule.DEFAULT_DEPTH, null));
    }

    /** One string in two namespaces and as a plain key: three entries, each naming its own caller. */
    @Test
    void namespacesKeepTheirKeysApart() {
        String same = "orders";
        assertEquals("publisher_send_order", com.acme.shop.Publisher.sendOrder(same));
        assertEquals("publisher_publish_order", com.acme.shop.Publisher.publishOrder(same));
        assertEquals("publisher_query_orders", com.acme.shop.Publisher.queryOrders(same));
        assertEquals("publisher_send_order", com.acme.shop.Publisher.sendOrder(new String(same)), "cached");
    }

    /** Two UUID keys from one site share its entry; another site's key of another shape finds its own. */
    @Test
    void keysOfOneShapeShareTheirSite() {
        assertEquals("publisher_cache_order", com.acme.shop.Publisher.cacheOrder("order:" + java.util.UUID.randomUUID()));
        assertEquals("publisher_cache_order", com.acme.shop.Publisher.cacheCustomer("order:" + java.util.UUID.randomUUID()),
                "the first caller of the shape names it: the stack was not captured again");
        assertEquals("publisher_cache_customer", com.acme.shop.Publisher.cacheCustomer("customer:" + java.util.UUID.randomUUID()));
    }

    /**
     * A few texts of one shape are each named after their own caller (two statements that differ
     * in a value may come from two methods); once many have been seen, a new one is answered from
     * the shape, without a stack capture.
     */
    @Test
    void aNewTextOfABusyShapeIsAnsweredFromTheShape() {
        assertEquals("publisher_find_order", com.acme.shop.Publisher.findOrder("select * from orders where id = 1"));
        assertEquals("publisher_find_customer", com.acme.shop.Publisher.findCustomer("select * from orders where id = 2"),
                "a second text of the shape: its own caller");
        for (int i = 3; i <= CallerModule.SHAPE_TEXTS; i++) {
            assertEquals("publisher_find_order", com.acme.shop.Publisher.findOrder("select * from orders where id = " + i));
        }
        assertEquals("publisher_find_order", com.acme.shop.Publisher.findCustomer("select * from orders where id = 1000"),
                "the busy shape's entry, not a capture");
        assertEquals("publisher_find_customer", com.acme.shop.Publisher.findCustomer("select * from orders where id = 2"),
                "the exact text's entry");
        assertEquals("publisher_find_customer", com.acme.shop.Publisher.findCustomer("select * from customers where id = 3"),
                "another shape");
    }

    @Test
    void stackCapturesAreBudgeted() {
        CallerModule.CaptureBudget budget = new CallerModule.CaptureBudget(3, 2);
        long t = 1_000_000_000L;
        assertEquals(true, budget.take(t));
        assertEquals(true, budget.take(t));
        assertEquals(true, budget.take(t));
        assertEquals(false, budget.take(t), "the burst is spent");
        assertEquals(false, budget.take(t + 400_000_000L), "0.8 of a capture refilled");
        assertEquals(true, budget.take(t + 500_000_000L), "one a half second at two a second");
        assertEquals(false, budget.take(t + 500_000_000L));
        long later = t + 60_000_000_000L;
        assertEquals(true, budget.take(later));
        assertEquals(true, budget.take(later));
        assertEquals(true, budget.take(later));
        assertEquals(false, budget.take(later), "the refill stops at the burst");
    }

    /**
     * Once the budget is spent, a call whose key is new gets no {@code x_module} (rather than a
     * guess) and nothing is kept under its key, so a later call, with the budget refilled, finds
     * its caller; a key kept before still answers.
     */
    @Test
    void aCallOverTheBudgetGetsNoModuleAndKeepsNothing() {
        assertEquals("publisher_send_order", com.acme.shop.Publisher.sendOrder("kept-before"));
        CallerModule.CaptureBudget spent = new CallerModule.CaptureBudget(1, 0);
        assertEquals(true, spent.take(0));
        CallerModule.CaptureBudget before = CallerModule.budget(spent);
        try {
            assertEquals(null, com.acme.shop.Publisher.sendOrder("over-budget"), "a namespace's new key");
            assertEquals(null, com.acme.shop.Publisher.queryOrders("select 1 from over_budget"), "a plain new key");
            assertEquals(null, com.acme.shop.Publisher.findOrder("select * from over_budget where id = 1"),
                    "a new key of a new shape");
            assertEquals("publisher_send_order", com.acme.shop.Publisher.sendOrder("kept-before"), "a kept key");
        } finally {
            CallerModule.budget(before);
        }
        assertEquals("publisher_publish_order", com.acme.shop.Publisher.publishOrder("over-budget"),
                "another namespace, with a budget again");
        assertEquals("publisher_send_order", com.acme.shop.Publisher.sendOrder("over-budget"), "nothing was kept");
        assertEquals("publisher_query_orders", com.acme.shop.Publisher.queryOrders("select 1 from over_budget"));
        assertEquals("publisher_find_order", com.acme.shop.Publisher.findOrder("select * from over_budget where id = 1"));
    }
}
