package io.rpctrace.it.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.rpctrace.Span;
import io.rpctrace.Trace;
import io.rpctrace.testing.AgentRecords;
import io.rpctrace.testing.Records;
import io.rpctrace.testing.Servers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Through Agroal, Quarkus's pool (its statements are {@code io.agroal.pool.wrapper.*} around
 * the driver's): one record per statement, consecutive ids inside a request, and
 * {@code x_module} names the application method, not Agroal's wrapper. (Its SQL texts are its own:
 * {@code x_module} is cached per SQL text, and other tests of this JVM run {@code select ? + 1}.)
 */
class AgroalTest {
    private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";

    @Test
    void postgresqlThroughAgroal() throws Exception {
        Servers.require("PostgreSQL", "127.0.0.1", 5432);
        AgentRecords agent = AgentRecords.start();
        String traceId;
        AgroalDataSourceConfigurationSupplier config = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool.maxSize(2).initialSize(1)
                        .connectionFactoryConfiguration(cf -> cf.jdbcUrl(URL)
                                .principal(new NamePrincipal("postgres")).credential(new SimplePassword(""))));
        try (AgroalDataSource ds = AgroalDataSource.from(config)) {
            try (Span req = Trace.enter(null, null)) {
                try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("select ? * 2")) {
                    ps.setInt(1, 21);
                    try (ResultSet rs = ps.executeQuery()) {                                     // 0.2
                        assertTrue(rs.next());
                        assertEquals(42, rs.getInt(1));
                    }
                }
                try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                    s.executeQuery("select 3").close();                                          // 0.3
                }
                traceId = Trace.traceId();
            }
        }
        Records mine = Records.of(agent.flush()).inTrace(traceId).assertUniqueIds();
        assertEquals(List.of("0.1", "0.2", "0.3"), mine.rpcIds(), mine.toString());
        mine.named("postgresql.request").where(r -> "0.2".equals(r.rpcId())).single()
                .has("x_action", "select ? * 2").has("x_param", "[21]").has("x_host", "127.0.0.1:5432")
                .has("x_db", "test").has("x_code", "0").has("x_module", "agroal_test_postgresql_through_agroal");
        mine.named("postgresql.request").where(r -> "0.3".equals(r.rpcId())).single()
                .has("x_action", "select 3").has("x_module", "agroal_test_postgresql_through_agroal");
    }
}
