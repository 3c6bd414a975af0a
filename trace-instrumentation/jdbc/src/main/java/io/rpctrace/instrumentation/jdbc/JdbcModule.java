package io.rpctrace.instrumentation.jdbc;

import io.rpctrace.instrumentation.api.InstrumentationModule;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.util.Arrays;
import java.util.List;

/**
 * Module {@code jdbc}: any JDBC 4 driver (Java 8's {@code java.sql}), directly or through a
 * pool. {@code <db>.connect} around {@code Driver.connect}; {@code <db>.request} around every
 * {@code execute}, {@code executeQuery}, {@code executeUpdate}, {@code executeLargeUpdate},
 * {@code executeBatch} and {@code executeLargeBatch}. The logic lives next to the advice, in
 * {@link JdbcCalls}; docs/instrumentation/jdbc.md.
 */
public final class JdbcModule extends InstrumentationModule {
    public JdbcModule() {
        super("jdbc");
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
        return Arrays.<TypeInstrumentation>asList(
                new DriverInstrumentation(),
                new ConnectionInstrumentation(),
                new StatementInstrumentation(),
                new PreparedStatementInstrumentation(),
                new HikariPoolInstrumentation(),
                new MariaDbConnectInstrumentation());
    }
}
