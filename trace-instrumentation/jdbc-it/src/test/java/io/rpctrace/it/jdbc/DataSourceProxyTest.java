package io.rpctrace.it.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.interceptor.ConcurrencyThrottleInterceptor;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A Spring Boot service's SQL as spring-petclinic-microservices runs it: datasource-proxy
 * (what datasource-micrometer wraps the pool in for Spring Boot's JDBC observations) around
 * HikariCP, reached through a Spring AOP proxy with a chain of interceptors (as a Spring Data
 * repository is, some 80 frames below the controller). {@code x_module} names the application
 * method that made the call, not datasource-proxy's {@code StatementProxyLogic}, and the
 * plumbing's depth does not hide it (docs/instrumentation/jdbc.md#x_module-the-calling-application-method).
 */
class DataSourceProxyTest {
    private static final int INTERCEPTORS = 12;

    /** The application's code: the method whose name the record must carry. */
    static final class OwnerQueries {
        private final JdbcOperations jdbc;

        OwnerQueries(JdbcOperations jdbc) {
            this.jdbc = jdbc;
        }

        String ownerName(int id) {
            return jdbc.queryForObject("select 'George' || ?", String.class, id);
        }
    }

    @Test
    void theApplicationMethodBehindDataSourceProxyAndSpringAopIsTheModule() throws Exception {
        AgentRecords agent = AgentRecords.start();
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl("jdbc:h2:mem:dsproxy;DB_CLOSE_DELAY=-1");
        c.setMaximumPoolSize(1);
        String traceId;
        try (HikariDataSource pool = new HikariDataSource(c)) {
            DataSource proxied = ProxyDataSourceBuilder.create(pool).name("petclinic").build();
            ProxyFactory factory = new ProxyFactory(new JdbcTemplate(proxied));
            factory.addInterface(JdbcOperations.class);
            for (int i = 0; i < INTERCEPTORS; i++) {
                factory.addAdvice(new ConcurrencyThrottleInterceptor());
            }
            OwnerQueries queries = new OwnerQueries((JdbcOperations) factory.getProxy());
            try (Span req = Trace.enter(null, null)) {
                assertEquals("George1", queries.ownerName(1));
                traceId = Trace.traceId();
            }
        }
        Records.of(agent.flush()).inTrace(traceId).named("h2.request").single()
                .has("x_rpc_id", "0.2").has("x_action", "select 'George' || ?")
                .has("x_module", "data_source_proxy_test_owner_queries_owner_name");
    }
}
