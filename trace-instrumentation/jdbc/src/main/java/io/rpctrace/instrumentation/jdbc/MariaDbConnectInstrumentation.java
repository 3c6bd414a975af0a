package io.rpctrace.instrumentation.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.isStatic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.rpctrace.Span;
import io.rpctrace.instrumentation.api.AdviceTarget;
import io.rpctrace.instrumentation.api.TypeInstrumentation;
import java.sql.SQLException;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.mariadb.jdbc.Configuration;

/**
 * MariaDB Connector/J 3.x: its data sources ({@code MariaDbDataSource},
 * {@code MariaDbPoolDataSource}) connect through the static
 * {@code Driver.connect(Configuration)}, not {@code java.sql.Driver.connect}; the driver's
 * own {@code connect(url, properties)} calls it too (then it is nested and not recorded
 * twice). Parameters are {@code Object}: the agent cannot resolve the driver's types.
 */
final class MariaDbConnectInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
        return named("org.mariadb.jdbc.Driver");
    }

    @Override
    public void transform(AdviceTarget target) {
        target.applyAdvice(named("connect").and(isStatic()).and(takesArguments(1))
                        .and(takesArgument(0, named("org.mariadb.jdbc.Configuration"))),
                MariaDbConnectInstrumentation.class.getName() + "$ConnectAdvice");
    }

    static final class ConnectAdvice {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static Span enter(@Advice.Argument(0) Object configuration) {
            if (!JdbcCalls.connectEnter()) {
                return null;
            }
            return JdbcCalls.connectStart(((Configuration) configuration).initialUrl());
        }

        @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
        static void exit(@Advice.Enter Span span, @Advice.Argument(0) Object configuration,
                         @Advice.Return Object connection, @Advice.Thrown Throwable thrown) {
            SQLException e = thrown instanceof SQLException ? (SQLException) thrown : null;
            JdbcCalls.connectEnd(span, span == null ? null : ((Configuration) configuration).initialUrl(), null,
                    connection, thrown, e == null ? null : e.getSQLState(), e == null ? 0 : e.getErrorCode());
        }
    }
}
